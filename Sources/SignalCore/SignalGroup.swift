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

    public init(
        name: String,
        kind: SignalGroupKind,
        timing: SignalGroupTiming,
        recall: RecallMode = .none,
        memory: CallMemory = .locking,
        flash: FlashIndication? = nil
    ) {
        self.name = name
        self.kind = kind
        self.timing = timing
        self.recall = recall
        self.memory = memory
        self.flash = flash ?? (kind == .pedestrian ? .dark : .flashingAmber)
    }
}
