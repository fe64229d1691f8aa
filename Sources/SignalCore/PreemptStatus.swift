/// Where a preempt being served stands, in the order the controller goes through them.
public enum PreemptPhase: String, Sendable, CaseIterable {
    /// The call was taken; greens outside the dwell stage run to their minimum (event 105).
    case entry
    /// Every green outside the dwell stage has ended; their clearances and intergreens run before
    /// the dwell stage's greens (event 106).
    case trackClearance = "track-clearance"
    /// The dwell stage is green, for the minimum dwell and while the input holds (event 107).
    case dwell
    /// The transition to the exit stage, after which normal service resumes (event 111).
    case exit
}

/// The preempt the controller serves, for status reports.
public struct PreemptStatus: Sendable, Equatable {
    /// The preempt's number (`Preempt.number`).
    public var number: Int
    public var phase: PreemptPhase
    /// The tick at which `phase` began.
    public var phaseStartTick: Tenths

    public init(number: Int, phase: PreemptPhase, phaseStartTick: Tenths) {
        self.number = number
        self.phase = phase
        self.phaseStartTick = phaseStartTick
    }
}
