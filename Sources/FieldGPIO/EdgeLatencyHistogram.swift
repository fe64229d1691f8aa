/// Counts of edge-to-tick latencies in fixed 100 µs buckets from 0 to 1 s, plus an overflow
/// bucket, with percentile queries in nanoseconds.
///
/// The latency of an input edge is the time from the kernel's timestamp of the edge to the
/// `fill` of the tick that hands it to the controller: the debounce hold, the wait for the event
/// thread and the wait for the next tick (up to 100 ms) all count. Bucket i holds latencies in
/// (i × 100 µs, (i+1) × 100 µs]; a percentile is the upper edge of its bucket, never above the
/// recorded maximum, so it errs late by less than 100 µs.
///
/// Sized once at init; `record` never allocates.
public struct EdgeLatencyHistogram: Sendable, Equatable {
    /// Width of every bucket.
    public static let bucketWidthNanoseconds = 100_000
    /// Latencies above this fall into the overflow bucket (the exact maximum is still kept).
    public static let rangeNanoseconds = 1_000_000_000
    private static let boundedBucketCount = rangeNanoseconds / bucketWidthNanoseconds

    private var buckets: [UInt32]
    /// How many latencies were recorded.
    public private(set) var count = 0
    /// The largest latency recorded; 0 when empty.
    public private(set) var maxNanoseconds = 0

    /// An empty histogram (40 KB of buckets, allocated here once).
    public init() {
        buckets = [UInt32](repeating: 0, count: Self.boundedBucketCount + 1)
    }

    /// Adds one latency; a negative one (clocks read out of order) counts as 0.
    public mutating func record(nanoseconds: Int) {
        let value = max(nanoseconds, 0)
        let index = min(max(value - 1, 0) / Self.bucketWidthNanoseconds, Self.boundedBucketCount)
        buckets[index] &+= 1
        count += 1
        maxNanoseconds = max(maxNanoseconds, value)
    }

    /// The latency at or below which `fraction` (0...1) of the recorded ones lie; 0 when empty.
    public func percentileNanoseconds(_ fraction: Double) -> Int {
        precondition((0.0...1.0).contains(fraction), "a percentile fraction lies in 0...1")
        guard count > 0 else { return 0 }
        let partsPerMillion = Int((fraction * 1_000_000).rounded())
        let rank = max((partsPerMillion * count + 999_999) / 1_000_000, 1)
        var seen = 0
        for index in 0..<Self.boundedBucketCount {
            seen += Int(buckets[index])
            if seen >= rank {
                return min((index + 1) * Self.bucketWidthNanoseconds, maxNanoseconds)
            }
        }
        return maxNanoseconds
    }
}
