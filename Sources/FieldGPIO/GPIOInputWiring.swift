/// The detector side of the GPIO wiring: one line per detector of the junction.
public struct GPIOInputWiring: Sendable, Equatable {
    /// One entry per detector, in any order; every detector of the junction must appear once.
    public var detectors: [GPIODetectorWiring]
    /// When the event thread has not checked in for this long, every input is reported with
    /// `communicationFault` (its data is stale), in milliseconds.
    public var staleAfterMilliseconds: Int
    /// How often the backend reports its counts and edge-to-tick latency, in seconds; 0 never.
    public var reportIntervalSeconds: Int

    /// Detector wiring with a 1 s staleness limit and a report every minute.
    public init(detectors: [GPIODetectorWiring], staleAfterMilliseconds: Int = 1000, reportIntervalSeconds: Int = 60) {
        self.detectors = detectors
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.reportIntervalSeconds = reportIntervalSeconds
    }
}
