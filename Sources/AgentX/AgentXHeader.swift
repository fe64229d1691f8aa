/// The fixed 20-byte header every AgentX PDU starts with (RFC 2741 §6.1).
public struct AgentXHeader: Sendable, Equatable {
    /// Header bytes before the payload.
    public static let size = 20
    /// The only protocol version there is.
    public static let version: UInt8 = 1

    /// What the payload is.
    public var type: AgentXPDUType
    /// Byte order, context and registration flags.
    public var flags: AgentXFlags
    /// The session the master assigned in its answer to Open (0 in Open itself).
    public var sessionID: UInt32
    /// Chosen by the master for each request; the answer repeats it.
    public var transactionID: UInt32
    /// Chosen by the sender of a request; the answer repeats it.
    public var packetID: UInt32
    /// Bytes after the header; always a multiple of 4.
    public var payloadLength: UInt32

    /// A header; by default network byte order and all identifiers 0.
    public init(
        type: AgentXPDUType, flags: AgentXFlags = .networkByteOrder, sessionID: UInt32 = 0, transactionID: UInt32 = 0,
        packetID: UInt32 = 0, payloadLength: UInt32 = 0
    ) {
        self.type = type
        self.flags = flags
        self.sessionID = sessionID
        self.transactionID = transactionID
        self.packetID = packetID
        self.payloadLength = payloadLength
    }

    /// Decodes the first 20 bytes of `bytes` (which may hold more). Checks the version, the type
    /// and that the payload length is a multiple of 4 no larger than `maximumPayloadBytes`.
    public static func decode(_ bytes: [UInt8], maximumPayloadBytes: Int) throws(AgentXDecodeError) -> AgentXHeader {
        guard bytes.count >= size else { throw .truncated(needed: size - bytes.count) }
        guard bytes[0] == version else { throw .unsupportedVersion(bytes[0]) }
        guard let type = AgentXPDUType(rawValue: bytes[1]) else { throw .unknownType(bytes[1]) }
        let flags = AgentXFlags(rawValue: bytes[2])
        var reader = PDUReader(Array(bytes[4..<size]), bigEndian: flags.contains(.networkByteOrder))
        let sessionID = try reader.uint32()
        let transactionID = try reader.uint32()
        let packetID = try reader.uint32()
        let payloadLength = try reader.uint32()
        guard payloadLength % 4 == 0, payloadLength <= maximumPayloadBytes else {
            throw .badPayloadLength(payloadLength)
        }
        return AgentXHeader(
            type: type, flags: flags, sessionID: sessionID, transactionID: transactionID, packetID: packetID,
            payloadLength: payloadLength)
    }

    /// Appends the header in network byte order (the flag is forced on, since the writer only
    /// writes that order).
    public func encode(into writer: inout PDUWriter) {
        writer.append(Self.version)
        writer.append(type.rawValue)
        writer.append(flags.union(.networkByteOrder).rawValue)
        writer.append(UInt8(0))
        writer.append(sessionID)
        writer.append(transactionID)
        writer.append(packetID)
        writer.append(payloadLength)
    }
}
