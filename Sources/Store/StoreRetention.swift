/// How much the store keeps: records older than the age limit go, and when the database holds
/// more than the size limit the oldest events go first (counts are small and kept longest).
public struct StoreRetention: Sendable, Equatable {
    /// Records older than this many days are removed.
    public var maximumAgeDays: Int
    /// Live database pages above this many bytes make the oldest events go.
    public var maximumBytes: Int64

    /// 30 days, 256 MiB: a week of counts for 16 detectors is under 1 MiB, so the size limit
    /// only ever trims events.
    public init(maximumAgeDays: Int = 30, maximumBytes: Int64 = 256 << 20) {
        self.maximumAgeDays = maximumAgeDays
        self.maximumBytes = maximumBytes
    }
}
