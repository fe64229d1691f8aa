import FieldIO
import Testing

@Suite struct EdgeLatencyHistogramTests {
    @Test func percentilesAreBucketUpperEdgesCappedByTheMaximum() {
        var histogram = LatencyHistogram(bucketWidthNanoseconds: 100_000, rangeNanoseconds: 1_000_000_000)
        for milliseconds in 1...100 {
            histogram.record(nanoseconds: milliseconds * 1_000_000 - 30_000)
        }
        #expect(histogram.count == 100)
        #expect(histogram.percentileNanoseconds(0.5) == 50_000_000)
        #expect(histogram.percentileNanoseconds(0.99) == 99_000_000)
        #expect(histogram.percentileNanoseconds(1.0) == 99_970_000)
        #expect(histogram.maxNanoseconds == 99_970_000)
    }

    @Test func anEmptyHistogramAnswersZeroAndOverflowKeepsTheExactMaximum() {
        var histogram = LatencyHistogram(bucketWidthNanoseconds: 100_000, rangeNanoseconds: 1_000_000_000)
        #expect(histogram.percentileNanoseconds(0.99) == 0)
        histogram.record(nanoseconds: 3_000_000_000)
        histogram.record(nanoseconds: -5)
        #expect(histogram.percentileNanoseconds(0.5) == 100_000, "a negative latency counts as 0, in the first bucket")
        #expect(histogram.percentileNanoseconds(1.0) == 3_000_000_000)
    }
}
