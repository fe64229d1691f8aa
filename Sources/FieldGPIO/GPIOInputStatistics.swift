/// What the GPIO detector inputs have seen since start, for status and the periodic report.
public struct GPIOInputStatistics: Sendable, Equatable, CustomStringConvertible {
    /// Detector names, in junction order.
    public var names: [String]
    /// The accepted (debounced) level of each detector line.
    public var presence: [Bool]
    /// Rising edges handed to the controller as actuations, per detector.
    public var deliveredRises: [Int]
    /// Edges read from the kernel.
    public var edgesRead: Int
    /// Edges whose opposite edge the kernel lost (counted from repeated levels).
    public var missedEdges: Int
    /// Transitions whose edge-to-tick latency was measured.
    public var latencySamples: Int
    /// The median edge-to-tick latency, in nanoseconds (0 without samples).
    public var latencyP50Nanoseconds: Int
    /// The 99th percentile of the edge-to-tick latency, in nanoseconds.
    public var latencyP99Nanoseconds: Int
    /// The largest edge-to-tick latency, in nanoseconds.
    public var latencyMaxNanoseconds: Int

    /// The statistics held by `accumulator`, with `names` for its detectors.
    ///
    /// The arrays are copied element by element: sharing the accumulator's storage would make its
    /// next update on the control tick copy (allocate) instead.
    public init(names: [String], accumulator: EdgeAccumulator) {
        self.names = names
        presence = accumulator.presence.map { $0 }
        deliveredRises = accumulator.deliveredRises.map { $0 }
        edgesRead = accumulator.counters.reads
        missedEdges = accumulator.missedEdges
        latencySamples = Int(accumulator.latency.count)
        latencyP50Nanoseconds = accumulator.latency.percentileNanoseconds(0.5)
        latencyP99Nanoseconds = accumulator.latency.percentileNanoseconds(0.99)
        latencyMaxNanoseconds = accumulator.latency.maxNanoseconds
    }

    /// One line: `gpio inputs: W_stop on 3, E_stop off 0; edges 6, missed 0; edge-to-tick
    /// latency p50 41.2 ms, p99 98.7 ms, max 99.0 ms over 6 transitions`.
    public var description: String {
        let lines = names.indices.map { "\(names[$0]) \(presence[$0] ? "on" : "off") \(deliveredRises[$0])" }
        return "gpio inputs: \(lines.joined(separator: ", ")); edges \(edgesRead), missed \(missedEdges); "
            + "edge-to-tick latency p50 \(Self.milliseconds(latencyP50Nanoseconds)) ms, "
            + "p99 \(Self.milliseconds(latencyP99Nanoseconds)) ms, max \(Self.milliseconds(latencyMaxNanoseconds)) ms "
            + "over \(latencySamples) transitions"
    }

    /// Nanoseconds as milliseconds with one decimal, without Foundation.
    private static func milliseconds(_ nanoseconds: Int) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
