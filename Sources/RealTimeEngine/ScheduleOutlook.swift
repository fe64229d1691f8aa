import SignalCore

/// What the time-of-day schedule said at its latest look: the local time it read and its decision
/// (the plan it selects, since when, the next change), and the choices the controller refused.
/// Published by `ScheduleDriver` for status, upstream and SNMP; the tick never reads it.
public struct ScheduleOutlook: Sendable, Equatable {
    /// The local time the schedule read from the wall clock.
    public var localTime: LocalDateTime
    public var decision: TimeOfDaySchedule.Decision
    /// Choices the controller refused since start, and the latest (`plan peak: no plan named peak`).
    public var refusals: UInt64
    public var lastRefusal: String?

    public init(localTime: LocalDateTime, decision: TimeOfDaySchedule.Decision, refusals: UInt64 = 0, lastRefusal: String? = nil) {
        self.localTime = localTime
        self.decision = decision
        self.refusals = refusals
        self.lastRefusal = lastRefusal
    }
}
