import SignalCore

/// What the time-of-day schedule said at its latest look: the local time it read and its decision
/// (the plan it selects, since when, the next change). Published by `ScheduleDriver` for status,
/// upstream and SNMP; the tick never reads it.
public struct ScheduleOutlook: Sendable, Equatable {
    /// The local time the schedule read from the wall clock.
    public var localTime: LocalDateTime
    public var decision: TimeOfDaySchedule.Decision

    public init(localTime: LocalDateTime, decision: TimeOfDaySchedule.Decision) {
        self.localTime = localTime
        self.decision = decision
    }
}
