import Testing

@testable import FieldModbus

@Suite struct PollLatencyHistogramTests {
    @Test func emptyReportsZero() {
        let histogram = PollLatencyHistogram()
        #expect(histogram.p50Microseconds == 0 && histogram.p99Microseconds == 0 && histogram.count == 0)
    }

    @Test func percentilesOfAKnownSpread() {
        var histogram = PollLatencyHistogram()
        for value in 1...1000 {
            histogram.record(microseconds: value * 10)
        }
        // True p50 is 5000 µs and p99 9900 µs; answers are bucket upper edges, at most 6.25% above.
        #expect((5000...5313).contains(histogram.p50Microseconds), "\(histogram.p50Microseconds)")
        #expect((9900...10_519).contains(histogram.p99Microseconds), "\(histogram.p99Microseconds)")
        #expect(histogram.maxMicroseconds == 10_000)
        #expect(histogram.percentileMicroseconds(1.0) == 10_000)
    }

    @Test func everyValueFallsInABucketWhoseEdgeBoundsItClosely() {
        for value in [0, 1, 15, 16, 17, 31, 32, 33, 100, 999, 1024, 123_456, 9_999_999, 1 << 40] {
            let index = PollLatencyHistogram.index(of: value)
            let edge = PollLatencyHistogram.upperEdge(of: index)
            if value < 1 << 37 {
                #expect(edge >= value, "\(value) → \(edge)")
                #expect(Double(edge - value) <= Double(max(value, 16)) * 0.0625, "\(value) → \(edge)")
            }
            if index > 0 {
                #expect(PollLatencyHistogram.upperEdge(of: index - 1) < value || value >= 1 << 37, "\(value)")
            }
        }
    }

    @Test func aSingleSlowRequestShowsInP99Only() {
        var histogram = PollLatencyHistogram()
        for _ in 0..<99 {
            histogram.record(microseconds: 400)
        }
        histogram.record(microseconds: 50_000)
        #expect(histogram.p50Microseconds <= 415)
        #expect(histogram.p99Microseconds <= 415)
        #expect(histogram.percentileMicroseconds(0.999) == 50_000)
    }
}
