import Logging

/// The control loop's tick lateness over consecutive windows of `windowTicks` ticks, logged at
/// debug level as `control loop lateness p50_us=… p99_us=… max_us=… ticks=… overruns=…`.
///
/// Whole-run percentiles hide a bad minute; windows let a technician or a test compare the loop's
/// timing during a field fault with the minutes before it. Runs on the supervising thread: each
/// window costs one copy of the loop's statistics.
package struct LatenessWindow {
    /// Two seconds of 100 ms ticks.
    package static let windowTicks: UInt64 = 20

    private let loop: RealTimeLoop
    private var start: RealTimeLoop.Statistics

    package init(loop: RealTimeLoop) {
        self.loop = loop
        start = loop.statistics()
    }

    /// Logs the window that has just ended, if a whole one has passed since the last line.
    package mutating func logIfDue(_ logger: Logger) {
        guard loop.heartbeat >= start.ticks + Self.windowTicks else { return }
        let now = loop.statistics()
        let window = now.lateness.since(start.lateness)
        logger.debug(
            "control loop lateness",
            metadata: [
                "p50_us": "\(window.p50Nanoseconds / 1000)", "p99_us": "\(window.p99Nanoseconds / 1000)",
                "max_us": "\(window.maxNanoseconds / 1000)", "ticks": "\(window.count)",
                "overruns": "\(now.overruns - start.overruns)",
            ])
        start = now
    }
}
