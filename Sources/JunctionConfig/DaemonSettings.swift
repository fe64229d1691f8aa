/// How the daemon runs the junction (`[daemon]`), as opposed to what the junction is.
public struct DaemonSettings: Sendable, Equatable {
    /// Ask for SCHED_FIFO at this priority (1–99) for the control loop; nil leaves the default policy.
    public var fifoPriority: Int?
    /// mlockall, so the control loop never waits on a page fault.
    public var lockMemory: Bool
    /// Hold /dev/cpu_dma_latency at 0 so deep idle states do not delay the tick.
    public var holdCPUDMALatencyZero: Bool
    /// Timer slack for the loop thread in nanoseconds; nil leaves the kernel's 50 µs default.
    public var timerSlackNanoseconds: Int?
    /// swift-log level name.
    public var logLevel: String
    /// A tick that wakes this many milliseconds after it was due is a stall: event 207 and a log
    /// line with the measured stall (`tick_stall_limit_ms`).
    public var tickStallLimitMilliseconds = Self.defaultTickStallLimitMilliseconds
    /// The clock may be unsynchronised this many seconds (from start, or from losing
    /// synchronisation) before the alarm is raised: event 209, a log line, the upstream alarm bit
    /// (`clock_unsynchronised_alarm_s`).
    public var clockUnsynchronisedAlarmSeconds = Self.defaultClockUnsynchronisedAlarmSeconds

    /// Five ticks: far beyond the loop's measured lateness (p99.9 about 0.1 ms with real-time
    /// favours, 3.8 ms without), short enough that a stopped process is never missed.
    public static let defaultTickStallLimitMilliseconds = 500
    /// Fifteen minutes: chrony or timesyncd synchronise a booting board in well under a minute
    /// when the network is up, so this catches a missing server, not a slow start.
    public static let defaultClockUnsynchronisedAlarmSeconds = 900

    public init(
        fifoPriority: Int? = nil, lockMemory: Bool = false, holdCPUDMALatencyZero: Bool = false,
        timerSlackNanoseconds: Int? = nil, logLevel: String = "info"
    ) {
        self.fifoPriority = fifoPriority
        self.lockMemory = lockMemory
        self.holdCPUDMALatencyZero = holdCPUDMALatencyZero
        self.timerSlackNanoseconds = timerSlackNanoseconds
        self.logLevel = logLevel
    }
}
