/// One whole AgentX PDU: the header's identifiers, the optional context, and the payload.
///
/// `decode` accepts either byte order, as the header says; `encode` always writes network byte
/// order. Decoding checks every length against the bytes present and never traps.
public struct AgentXMessage: Sendable, Equatable {
    /// Payloads above this are refused: requests from a master are a few hundred bytes, and the
    /// bound keeps a corrupt length from making the reader wait for or hold megabytes.
    public static let maximumPayloadBytes = 65_536

    /// Header flags other than byte order and context, which follow from the encoding.
    public var flags: AgentXFlags
    /// The session (0 in Open); see `AgentXHeader`.
    public var sessionID: UInt32
    /// Chosen by the master per request; echoed in the answer.
    public var transactionID: UInt32
    /// Chosen by a request's sender; echoed in the answer.
    public var packetID: UInt32
    /// A non-default SNMP context, when NON_DEFAULT_CONTEXT was set.
    public var context: [UInt8]?
    /// The payload.
    public var pdu: AgentXPDU

    /// A message; `flags` loses the byte-order and context bits, which `encode` derives.
    public init(
        pdu: AgentXPDU, sessionID: UInt32 = 0, transactionID: UInt32 = 0, packetID: UInt32 = 0,
        flags: AgentXFlags = [], context: [UInt8]? = nil
    ) {
        self.pdu = pdu
        self.sessionID = sessionID
        self.transactionID = transactionID
        self.packetID = packetID
        self.flags = flags.subtracting([.networkByteOrder, .nonDefaultContext])
        self.context = context
    }

    /// The PDU as bytes, header included, in network byte order.
    public func encode() -> [UInt8] {
        var payload = PDUWriter()
        if let context, AgentXPDU.carriesContext(pdu.type) { payload.appendOctetString(context) }
        pdu.encode(into: &payload)
        var flags = self.flags.union(.networkByteOrder)
        if context != nil, AgentXPDU.carriesContext(pdu.type) { flags.insert(.nonDefaultContext) }
        let header = AgentXHeader(
            type: pdu.type, flags: flags, sessionID: sessionID, transactionID: transactionID, packetID: packetID,
            payloadLength: UInt32(payload.bytes.count))
        var writer = PDUWriter()
        header.encode(into: &writer)
        return writer.bytes + payload.bytes
    }

    /// Decodes exactly one PDU: `bytes` must hold the header and exactly its payload.
    public static func decode(_ bytes: [UInt8]) throws(AgentXDecodeError) -> AgentXMessage {
        let header = try AgentXHeader.decode(bytes, maximumPayloadBytes: maximumPayloadBytes)
        let total = AgentXHeader.size + Int(header.payloadLength)
        guard bytes.count >= total else { throw .truncated(needed: total - bytes.count) }
        guard bytes.count == total else { throw .trailingBytes(bytes.count - total) }
        var reader = PDUReader(
            Array(bytes[AgentXHeader.size...]), bigEndian: header.flags.contains(.networkByteOrder))
        var context: [UInt8]?
        if header.flags.contains(.nonDefaultContext), AgentXPDU.carriesContext(header.type) {
            context = try reader.octetString()
        }
        let pdu = try AgentXPDU.decode(header.type, from: &reader)
        return AgentXMessage(
            pdu: pdu, sessionID: header.sessionID, transactionID: header.transactionID, packetID: header.packetID,
            flags: header.flags, context: context)
    }
}
