/// Dropped datagrams, by reason. Nothing a receiver refuses goes uncounted.
public struct DropCounters: Sendable, Equatable {
    private var counts = [UInt64](repeating: 0, count: DropReason.allCases.count)

    /// All zero.
    public init() {}

    /// Counts one drop for `reason`.
    public mutating func count(_ reason: DropReason) {
        counts[reason.rawValue] &+= 1
    }

    /// Drops counted for `reason`.
    public subscript(reason: DropReason) -> UInt64 { counts[reason.rawValue] }

    /// Drops of every reason together.
    public var total: UInt64 { counts.reduce(0, &+) }
}
