/// The `h.flags` bits of the AgentX header (RFC 2741 §6.1).
public struct AgentXFlags: OptionSet, Sendable, Hashable {
    /// The flag byte as sent.
    public let rawValue: UInt8

    /// Flags from the header byte; unknown bits are kept.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Register: the subtree is one instance, not a subtree.
    public static let instanceRegistration = AgentXFlags(rawValue: 0x01)
    /// IndexAllocate: a new index value is wanted.
    public static let newIndex = AgentXFlags(rawValue: 0x02)
    /// IndexAllocate: any index value will do.
    public static let anyIndex = AgentXFlags(rawValue: 0x04)
    /// The payload starts with a context octet string.
    public static let nonDefaultContext = AgentXFlags(rawValue: 0x08)
    /// Multi-byte integers in this PDU are big-endian; otherwise little-endian.
    public static let networkByteOrder = AgentXFlags(rawValue: 0x10)
}
