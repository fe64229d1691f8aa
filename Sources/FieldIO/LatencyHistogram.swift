/// Counts of latencies in fixed buckets (1 µs wide from 0 to 10 ms by default), plus one overflow
/// bucket, with percentile queries in nanoseconds. The control loop's lateness uses the default;
/// the GPIO edge-to-tick latency uses 100 µs buckets up to 1 s.
///
/// Bucket i holds latencies in (i × width, (i+1) × width] (bucket 0 also holds 0), so a latency of
/// exactly 500 µs is reported as 500 µs, and every answer is an upper bound less than one bucket
/// above the truth.
///
/// `record` never allocates while this value's storage is uniquely referenced, which is how the
/// real-time loop keeps it. Take copies for other threads with `snapshot()`, which copies the
/// storage so the loop's own histogram stays unique.
public struct LatencyHistogram: Sendable, Equatable {
    /// Width of every bucket.
    public let bucketWidthNanoseconds: Int
    /// Latencies above this fall into the overflow bucket (their exact maximum is still kept).
    public let rangeNanoseconds: Int
    private let boundedBucketCount: Int

    /// `boundedBucketCount` fixed buckets, then the overflow bucket.
    private var buckets: [UInt64]
    /// How many latencies were recorded.
    public private(set) var count: UInt64 = 0
    /// The largest latency recorded, exact even in the overflow bucket; 0 when empty.
    public private(set) var maxNanoseconds = 0
    /// How many latencies were above `rangeNanoseconds`.
    public var overflowCount: UInt64 { buckets[boundedBucketCount] }

    /// An empty histogram; this allocates its buckets once (80 KB with the defaults).
    public init(bucketWidthNanoseconds: Int = 1_000, rangeNanoseconds: Int = 10_000_000) {
        precondition(bucketWidthNanoseconds > 0 && rangeNanoseconds >= bucketWidthNanoseconds, "a bucket fits the range")
        self.bucketWidthNanoseconds = bucketWidthNanoseconds
        self.rangeNanoseconds = rangeNanoseconds
        boundedBucketCount = rangeNanoseconds / bucketWidthNanoseconds
        buckets = [UInt64](repeating: 0, count: boundedBucketCount + 1)
    }

    /// Adds one latency. Negative values (a clock read before the deadline) count as 0.
    public mutating func record(nanoseconds: Int) {
        let value = max(nanoseconds, 0)
        let index = min(max(value - 1, 0) / bucketWidthNanoseconds, boundedBucketCount)
        buckets[index] &+= 1
        count &+= 1
        maxNanoseconds = max(maxNanoseconds, value)
    }

    /// Adds every count of `other`, as if its latencies had been recorded here.
    public mutating func merge(_ other: LatencyHistogram) {
        precondition(other.bucketWidthNanoseconds == bucketWidthNanoseconds && other.rangeNanoseconds == rangeNanoseconds,
            "histograms of the same buckets")
        for index in buckets.indices {
            buckets[index] &+= other.buckets[index]
        }
        count &+= other.count
        maxNanoseconds = max(maxNanoseconds, other.maxNanoseconds)
    }

    /// The latencies recorded after `earlier`, an older snapshot of this same histogram: what a
    /// window of time saw. The window's maximum is the upper edge of the highest bucket that grew
    /// (within 1 µs of the truth), or the running maximum when only the overflow bucket grew there.
    public func since(_ earlier: LatencyHistogram) -> LatencyHistogram {
        var window = LatencyHistogram(bucketWidthNanoseconds: bucketWidthNanoseconds, rangeNanoseconds: rangeNanoseconds)
        for index in buckets.indices {
            window.buckets[index] = buckets[index] &- earlier.buckets[index]
        }
        window.count = count &- earlier.count
        if window.overflowCount > 0 {
            window.maxNanoseconds = maxNanoseconds
        } else if let top = window.buckets.lastIndex(where: { $0 > 0 }) {
            window.maxNanoseconds = (top + 1) * bucketWidthNanoseconds
        }
        return window
    }

    /// A copy with its own storage, safe to hand to another thread while this one keeps recording.
    public func snapshot() -> LatencyHistogram {
        var copy = self
        copy.buckets = [UInt64](unsafeUninitializedCapacity: buckets.count) { target, initialized in
            _ = target.initialize(fromContentsOf: buckets)
            initialized = buckets.count
        }
        return copy
    }

    /// The latency at or below which `fraction` (0...1) of the recorded latencies lie, rounded up to
    /// the upper edge of its bucket and never above the recorded maximum; 0 when empty.
    ///
    /// The answer errs late by less than one bucket, so a p99.9 compared against a limit is never
    /// flattering.
    public func percentileNanoseconds(_ fraction: Double) -> Int {
        precondition((0.0...1.0).contains(fraction), "a percentile fraction lies in 0...1")
        if count == 0 {
            return 0
        }
        // The 1-based rank of the sample with `fraction` of all samples at or below it, in integers:
        // 0.999 × 1000 is 998.9999999999999 in floating point, which would round to the wrong rank.
        let partsPerMillion = UInt64((fraction * 1_000_000).rounded())
        let rank = max((partsPerMillion * count + 999_999) / 1_000_000, 1)
        var seen: UInt64 = 0
        for index in 0..<boundedBucketCount {
            seen &+= buckets[index]
            if seen >= rank {
                return min((index + 1) * bucketWidthNanoseconds, maxNanoseconds)
            }
        }
        return maxNanoseconds
    }

    /// The median, rounded up to its bucket edge.
    public var p50Nanoseconds: Int { percentileNanoseconds(0.5) }
    /// The 99th percentile, rounded up to its bucket edge.
    public var p99Nanoseconds: Int { percentileNanoseconds(0.99) }
    /// The 99.9th percentile, rounded up to its bucket edge.
    public var p999Nanoseconds: Int { percentileNanoseconds(0.999) }
}
