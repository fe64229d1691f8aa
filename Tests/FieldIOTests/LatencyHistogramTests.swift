import Testing

@testable import FieldIO

@Suite struct LatencyHistogramTests {
    /// The nearest-rank percentile of a sorted sample, the definition the histogram approximates.
    private func nearestRank(_ sorted: [Int], _ fraction: Double) -> Int {
        let rank = max(Int((fraction * Double(sorted.count) - 1e-9).rounded(.up)), 1)
        return sorted[rank - 1]
    }

    @Test func emptyHistogramAnswersZero() {
        let histogram = LatencyHistogram()
        #expect(histogram.count == 0)
        #expect(histogram.p50Nanoseconds == 0)
        #expect(histogram.p999Nanoseconds == 0)
        #expect(histogram.maxNanoseconds == 0)
    }

    @Test func wholeMicrosecondsReportExactly() {
        var histogram = LatencyHistogram()
        for microseconds in 1...1_000 {
            histogram.record(nanoseconds: microseconds * 1_000)
        }
        #expect(histogram.count == 1_000)
        #expect(histogram.p50Nanoseconds == 500_000)
        #expect(histogram.p99Nanoseconds == 990_000)
        #expect(histogram.p999Nanoseconds == 999_000)
        #expect(histogram.percentileNanoseconds(1.0) == 1_000_000)
        #expect(histogram.maxNanoseconds == 1_000_000)
    }

    @Test func percentilesAreUpperBoundsWithinOneBucket() {
        var generator = SplitMix64(seed: 0x5EED)
        var samples: [Int] = []
        var histogram = LatencyHistogram()
        for _ in 0..<20_000 {
            // Mostly tens of microseconds with a long tail, like real wake-up latency.
            let tail = generator.next() % 100 == 0 ? Int(generator.next() % 3_000_000) : 0
            let value = Int(generator.next() % 60_000) + tail
            samples.append(value)
            histogram.record(nanoseconds: value)
        }
        samples.sort()
        for fraction in [0.5, 0.9, 0.99, 0.999, 1.0] {
            let exact = nearestRank(samples, fraction)
            let reported = histogram.percentileNanoseconds(fraction)
            #expect(reported >= exact, "p\(fraction) must not flatter")
            #expect(reported - exact < LatencyHistogram().bucketWidthNanoseconds, "p\(fraction) within one bucket")
        }
        #expect(histogram.maxNanoseconds == samples.last)
    }

    @Test func overflowKeepsTheExactMaximum() {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: 10_000_000)
        histogram.record(nanoseconds: 25_000_123)
        #expect(histogram.overflowCount == 1)
        #expect(histogram.maxNanoseconds == 25_000_123)
        #expect(histogram.percentileNanoseconds(1.0) == 25_000_123)
        #expect(histogram.p50Nanoseconds == 10_000_000)
    }

    @Test func negativeLatencyCountsAsZero() {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: -5_000)
        #expect(histogram.count == 1)
        #expect(histogram.maxNanoseconds == 0)
        #expect(histogram.p50Nanoseconds == 0)
    }

    @Test func mergingHalvesEqualsRecordingTheWhole() {
        var whole = LatencyHistogram()
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        var generator = SplitMix64(seed: 42)
        for index in 0..<5_000 {
            let value = Int(generator.next() % 12_000_000)
            whole.record(nanoseconds: value)
            if index % 3 == 0 {
                first.record(nanoseconds: value)
            } else {
                second.record(nanoseconds: value)
            }
        }
        first.merge(second)
        #expect(first == whole)
        #expect(first.p999Nanoseconds == whole.p999Nanoseconds)
    }

    @Test func snapshotDoesNotFollowLaterRecords() {
        var live = LatencyHistogram()
        live.record(nanoseconds: 3_000)
        let snapshot = live.snapshot()
        live.record(nanoseconds: 9_000_000)
        #expect(snapshot.count == 1)
        #expect(snapshot.maxNanoseconds == 3_000)
        #expect(live.count == 2)
    }

    @Test func aWindowHoldsOnlyWhatCameAfterItsStart() {
        var live = LatencyHistogram()
        for _ in 0..<100 { live.record(nanoseconds: 9_000_000) }
        let start = live.snapshot()
        for value in [40_000, 50_000, 60_500] { live.record(nanoseconds: value) }
        let window = live.since(start)
        #expect(window.count == 3)
        #expect(window.p50Nanoseconds == 50_000)
        #expect(window.maxNanoseconds == 61_000, "the upper edge of the highest bucket that grew")
        live.record(nanoseconds: 20_000_000)
        #expect(live.since(start).maxNanoseconds == 20_000_000, "an overflow keeps the exact maximum")
    }
}
