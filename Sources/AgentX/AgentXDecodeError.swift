/// Why bytes from the master agent are not a well-formed AgentX PDU. Every decoder failure is one
/// of these; none traps.
public enum AgentXDecodeError: Error, Sendable, Equatable {
    /// The bytes end `needed` bytes short of what the encoding says follows.
    case truncated(needed: Int)
    /// `h.version` is not 1.
    case unsupportedVersion(UInt8)
    /// `h.type` names no PDU of RFC 2741.
    case unknownType(UInt8)
    /// `h.payload_length` is not a multiple of 4 or exceeds the limit this decoder accepts.
    case badPayloadLength(UInt32)
    /// An OID with more than 128 sub-identifiers.
    case oidTooLong(Int)
    /// A variable binding with a type tag RFC 2741 does not define.
    case unknownValueType(UInt16)
    /// A PDU whose payload has bytes left over after its last field.
    case trailingBytes(Int)
    /// A reserved or out-of-range field value (named).
    case invalidField(String)
}
