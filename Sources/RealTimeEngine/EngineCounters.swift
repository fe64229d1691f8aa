import FieldIO

/// What the engine counts beyond the controller itself, for status.
public struct EngineCounters: Sendable, Equatable {
    /// Ticks whose lamp read-back could not be confirmed (the watchdog line was not toggled).
    public var unconfirmedOutputTicks: UInt64 = 0
    /// Ticks on which the watchdog line was toggled.
    public var watchdogToggles: UInt64 = 0
    /// Requests refused because the mailbox was full.
    public var requestsDropped: UInt64 = 0
    /// Reloads applied, refused, and ticks spent waiting for a safe point.
    public var reloadsApplied: UInt64 = 0
    public var reloadsRefused: UInt64 = 0
    public var reloadWaitTicks: UInt64 = 0
    /// Ticks that woke later than the stall limit (events 207), the last and the longest stall.
    public var tickStalls: UInt64 = 0
    public var lastTickStallMilliseconds = 0
    public var longestTickStallMilliseconds = 0
    public var detectors = FieldBackendCounters()
    public var outputs = FieldBackendCounters()

    public init() {}
}
