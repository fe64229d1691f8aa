/// What a signal group controls, which decides its lamp sequence.
public enum SignalGroupKind: String, Sendable, CaseIterable {
    /// A vehicle head: red → red+amber → green → amber → red.
    case vehicle
    /// A pedestrian head: don't walk → walk → flashing don't walk → don't walk.
    case pedestrian
    /// A protected turn arrow; sequenced like a vehicle head.
    case turnArrow
}

/// What a group shows while the junction is in flash.
public enum FlashIndication: String, Sendable, CaseIterable {
    case flashingAmber
    case flashingRed
    /// Lamps off; the usual choice for pedestrian heads in flash.
    case dark
}

/// How a group calls for itself without a detector (NTCIP 1202 recall modes).
public enum RecallMode: String, Sendable, CaseIterable {
    case none
    /// A call is always present; the group is served at least its minimum green.
    case minimum
    /// A call is always present and the group never gaps out: it runs to max green.
    case maximum
    /// A pedestrian call is always present: walk is served every cycle.
    case pedestrian
    /// A call is placed only when no other group is calling, so the junction rests here.
    case soft
}

/// Whether a call registered during red is remembered until the group is served.
public enum CallMemory: String, Sendable, CaseIterable {
    /// An actuation during red is held until the group turns green.
    case locking
    /// A call exists only while the detector is occupied.
    case nonLocking
}

/// The timings of one signal group, all in tenths of a second.
///
/// For pedestrian groups `minGreen` is the walk time and `clearance` is the flashing
/// don't walk time; `redAmber`, `passage` and `maxGreen` beyond the walk are unused.
public struct SignalGroupTiming: Sendable, Equatable {
    /// Least green (walk for pedestrians) once started.
    public var minGreen: Tenths
    /// Most green once a conflicting call exists (Max1).
    public var maxGreen: Tenths
    /// Passage (gap, extension) time, restarted by each actuation of an extending detector.
    public var passage: Tenths
    /// Amber (vehicle) or flashing don't walk (pedestrian) after green.
    public var clearance: Tenths
    /// Red+amber shown just before green (PM 49/2014); 0 to go straight from red to green.
    public var redAmber: Tenths

    public init(minGreen: Tenths, maxGreen: Tenths, passage: Tenths, clearance: Tenths, redAmber: Tenths) {
        self.minGreen = minGreen
        self.maxGreen = maxGreen
        self.passage = passage
        self.clearance = clearance
        self.redAmber = redAmber
    }
}

/// One signal group: a set of heads that always show the same aspect.
public struct SignalGroup: Sendable, Equatable {
    public var name: String
    public var kind: SignalGroupKind
    public var timing: SignalGroupTiming
    public var recall: RecallMode
    public var memory: CallMemory
    public var flash: FlashIndication
    /// The longest this group, with demand on red, may be left waiting by an adaptive strategy
    /// before its stage is served next (tenths); nil for no bound beyond the strategy's own.
    ///
    /// Guarantee (normal operation under an adaptive strategy, no plan, hold, advance or flash):
    /// once the group has had demand on red for `maxWait`, the strategy may no longer extend a
    /// green past the actuated rule, and every stage change goes to the first stage in cyclic
    /// order that serves an overdue group (`EventCode.maxWaitService`). The changes therefore move
    /// forward through the sequence without passing this group's stage, so it turns green within
    /// `maxWait + G_run + Σ (I + G_s) + I`: `G_run` what is left of the running stage (a stage
    /// being entered counts as running, after its interstage), at most its longest max green or
    /// walk plus clearance, since the standing call runs every green's max timer; then each stage
    /// strictly between it and this group's stage, at most once, with its interstage `I` and its
    /// longest green `G_s`; and the last interstage. A pedestrian group overdue inside the running
    /// stage is given its walk at once instead. Under plain actuated control the cyclic order
    /// serves every call within one lap, so no forcing is needed (and none is done).
    public var maxWait: Tenths?

    /// The `max_wait` of a turn arrow left unset in a junction file: 90 s. An arrow passed over
    /// waits a second cycle, and 90 s is about the longest red that drivers in a turn bay accept
    /// before gap-forcing and red running rise; it is also above one normal cycle at most junctions,
    /// so forcing only begins where a strategy has already passed the arrow over. Through vehicle
    /// and pedestrian groups have no default: the cyclic order and the strategy's own rules (it
    /// passes over only a group served within the last minute, and keeps the cyclic order once any
    /// group has waited two minutes) already bound them; a site that wants a tighter bound sets it.
    public static let defaultTurnArrowMaxWait: Tenths = 900

    public init(
        name: String,
        kind: SignalGroupKind,
        timing: SignalGroupTiming,
        recall: RecallMode = .none,
        memory: CallMemory = .locking,
        flash: FlashIndication? = nil,
        maxWait: Tenths? = nil
    ) {
        self.name = name
        self.kind = kind
        self.timing = timing
        self.recall = recall
        self.memory = memory
        self.flash = flash ?? (kind == .pedestrian ? .dark : .flashingAmber)
        self.maxWait = maxWait
    }
}
