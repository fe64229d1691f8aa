/// The timings of the startup sequence and of flash entry and exit, in tenths.
public struct StartupTiming: Sendable, Equatable {
    /// Startup flash after power-up or restart, while lamp states are unknown.
    public var flashTime: Tenths
    /// All-red after startup flash and after leaving any flash, before the first stage.
    public var allRedTime: Tenths

    public init(flashTime: Tenths = 50, allRedTime: Tenths = 30) {
        self.flashTime = flashTime
        self.allRedTime = allRedTime
    }
}

/// A signalised junction as the controller and the safety monitor see it.
///
/// Groups are addressed by index. `conflicts[a][b]` is true when groups `a` and `b`
/// may never be open together; the matrix is symmetric with a false diagonal.
/// `intergreen[a][b]` is the least time in tenths from the end of green of `a` to the
/// start of green of `b`, required for every conflicting pair. The value type carries no
/// guarantee of consistency by itself: `JunctionValidator` checks it, and the config loader
/// never hands out a junction that fails validation.
public struct Junction: Sendable, Equatable {
    public var name: String
    public var groups: [SignalGroup]
    public var conflicts: [[Bool]]
    public var intergreen: [[Tenths]]
    public var stages: [Stage]
    /// The cyclic order of stages, as indices into `stages`. Stages without demand are skipped.
    public var sequence: [Int]
    public var detectors: [Detector]
    public var startup: StartupTiming
    /// Fixed-time plans that can be selected by name; actuated control runs when none is.
    public var plans: [FixedTimePlan]
    /// Emergency-vehicle preempts, each called by a `.preempt` detector; empty when the junction has none.
    public var preempts: [Preempt]

    public init(
        name: String,
        groups: [SignalGroup],
        conflicts: [[Bool]],
        intergreen: [[Tenths]],
        stages: [Stage],
        sequence: [Int]? = nil,
        detectors: [Detector] = [],
        startup: StartupTiming = StartupTiming(),
        plans: [FixedTimePlan] = [],
        preempts: [Preempt] = []
    ) {
        self.name = name
        self.groups = groups
        self.conflicts = conflicts
        self.intergreen = intergreen
        self.stages = stages
        self.sequence = sequence ?? Array(stages.indices)
        self.detectors = detectors
        self.startup = startup
        self.plans = plans
        self.preempts = preempts
    }

    /// The index of the group with this name, if any.
    public func groupIndex(named name: String) -> Int? {
        groups.firstIndex { $0.name == name }
    }
}

extension Junction {
    /// Whether `other` has the same groups, by name and kind, in the same order: what outputs,
    /// monitors and a reload's handover are wired by, whatever the timings.
    public func hasSameGroupLayout(as other: Junction) -> Bool {
        groups.count == other.groups.count
            && zip(groups, other.groups).allSatisfy { $0.name == $1.name && $0.kind == $1.kind }
    }
}
