/// Cuts a byte stream from the master into whole PDUs.
///
/// AgentX has no resynchronisation marker, so after a bad header the rest of the stream cannot be
/// trusted: `nextPDU` throws and the caller closes the session and reconnects.
public struct AgentXFramer: Sendable {
    private var buffer: [UInt8] = []

    /// An empty framer.
    public init() {}

    /// Bytes held that do not yet make a whole PDU.
    public var bufferedBytes: Int { buffer.count }

    /// Adds bytes read from the socket.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole PDU's bytes (header and payload), or nil while more bytes are needed.
    /// Throws when the buffered header is not a valid AgentX header.
    public mutating func nextPDU() throws(AgentXDecodeError) -> [UInt8]? {
        guard buffer.count >= AgentXHeader.size else { return nil }
        let header = try AgentXHeader.decode(
            Array(buffer.prefix(AgentXHeader.size)), maximumPayloadBytes: AgentXMessage.maximumPayloadBytes)
        let total = AgentXHeader.size + Int(header.payloadLength)
        guard buffer.count >= total else { return nil }
        let pdu = Array(buffer.prefix(total))
        buffer.removeFirst(total)
        return pdu
    }

    /// Forgets everything buffered (a new connection starts clean).
    public mutating func reset() { buffer.removeAll() }
}
