/// The bounds one parse of untrusted JSON may reach; anything beyond is an error, never a
/// large allocation or a deep recursion.
public struct JSONLimits: Sendable, Equatable {
    /// The longest text accepted, in bytes.
    public var maxBytes: Int
    /// How deeply arrays and objects may nest (1: a flat object).
    public var maxDepth: Int
    /// The longest string (key or value) after unescaping, in bytes of UTF-8.
    public var maxStringBytes: Int
    /// The most elements of one array or members of one object.
    public var maxMembers: Int

    public init(maxBytes: Int, maxDepth: Int, maxStringBytes: Int, maxMembers: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxMembers = maxMembers
    }

    /// Requests from clients: one short line, a flat object with a few members.
    public static let request = JSONLimits(maxBytes: 4096, maxDepth: 4, maxStringBytes: 256, maxMembers: 16)

    /// Replies from the daemon: up to a page of events or a whole junction description. One string
    /// may fill the line: the line's bound already caps memory, and a reply must not become
    /// unreadable because a junction file gave something a huge name (junctionctl cuts it to
    /// print it; `DisplayText`).
    public static let response = JSONLimits(
        maxBytes: 4 << 20, maxDepth: 16, maxStringBytes: 4 << 20, maxMembers: 20_000)
}
