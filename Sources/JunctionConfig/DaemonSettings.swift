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
