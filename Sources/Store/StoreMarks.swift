/// Where the store's two record streams stand: what it holds and what central acknowledged.
public struct StoreMarks: Sendable, Equatable {
    /// The oldest event record still held (0 when none is).
    public var eventsFirst: UInt64 = 0
    /// The newest event record committed (0 before the first).
    public var eventsLast: UInt64 = 0
    /// Every event record ≤ this is held by central.
    public var eventsAcked: UInt64 = 0
    public var countsFirst: UInt64 = 0
    public var countsLast: UInt64 = 0
    public var countsAcked: UInt64 = 0

    public init() {}
}
