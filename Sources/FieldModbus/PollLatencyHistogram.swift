/// Request round-trip times in log-linear buckets (16 per power of two, so any answer is at most
/// 6.25% above the truth), from 1 µs to over an hour, with percentile queries.
///
/// Fixed size (560 buckets): recording never allocates once the value exists.
public struct PollLatencyHistogram: Sendable, Equatable {
    private static let subBuckets = 16
    private static let octaves = 34
    private var buckets: [UInt64]
    /// Latencies recorded.
    public private(set) var count: UInt64 = 0
    /// The largest latency recorded, in microseconds (exact).
    public private(set) var maxMicroseconds = 0

    /// An empty histogram.
    public init() {
        buckets = Array(repeating: 0, count: Self.subBuckets * Self.octaves)
    }

    /// Adds one latency; negative values count as 0.
    public mutating func record(microseconds: Int) {
        let value = max(microseconds, 0)
        buckets[Self.index(of: value)] &+= 1
        count &+= 1
        maxMicroseconds = max(maxMicroseconds, value)
    }

    /// The latency at or below which `fraction` (0...1) of the recorded ones lie: the upper edge of
    /// its bucket, never above the maximum; 0 when empty.
    public func percentileMicroseconds(_ fraction: Double) -> Int {
        precondition((0.0...1.0).contains(fraction), "a percentile fraction lies in 0...1")
        guard count > 0 else { return 0 }
        let partsPerMillion = UInt64((fraction * 1_000_000).rounded())
        let rank = max((partsPerMillion * count + 999_999) / 1_000_000, 1)
        var seen: UInt64 = 0
        for index in buckets.indices {
            seen &+= buckets[index]
            if seen >= rank {
                return min(Self.upperEdge(of: index), maxMicroseconds)
            }
        }
        return maxMicroseconds
    }

    /// The median, in microseconds.
    public var p50Microseconds: Int { percentileMicroseconds(0.5) }
    /// The 99th percentile, in microseconds.
    public var p99Microseconds: Int { percentileMicroseconds(0.99) }

    /// Values 0–15 get a bucket each; above, each power of two is split into 16 equal buckets.
    static func index(of value: Int) -> Int {
        guard value >= subBuckets else { return value }
        let exponent = Int.bitWidth - 1 - value.leadingZeroBitCount
        let shift = exponent - 4
        let sub = (value >> shift) & (subBuckets - 1)
        return min(subBuckets + shift * subBuckets + sub, subBuckets * octaves - 1)
    }

    /// The largest value that falls in bucket `index`.
    static func upperEdge(of index: Int) -> Int {
        guard index >= subBuckets else { return index }
        let shift = (index - subBuckets) / subBuckets
        let sub = (index - subBuckets) % subBuckets
        return ((subBuckets + sub) << shift) + (1 << shift) - 1
    }
}
