/// One emergency-vehicle preempt: the detector that calls it, the stage it dwells in, the stage
/// normal service resumes with, and its timings in tenths.
///
/// The value carries no guarantee by itself: `JunctionValidator` checks it. `SignalController`
/// serves a call as NEMA TS2 / ATC controllers do (entry, track clearance, dwell, exit), within every
/// minimum green, clearance and intergreen the independent `SafetyMonitor` enforces.
public struct Preempt: Sendable, Equatable {
    /// 1-based and unique: the parameter of its events, and its priority (a lower number takes over
    /// from a higher one, as NTCIP 1202 preempts do).
    public var number: Int
    public var name: String
    /// The detector that calls it (index into `Junction.detectors`, function `.preempt`).
    public var input: Int
    /// The stage served while the preempt dwells (index into `Junction.stages`; it need not be in
    /// the sequence, so a stage for emergency vehicles alone is possible).
    public var dwellStage: Int
    /// The stage normal service resumes with (index into `Junction.stages`, in the sequence).
    public var exitStage: Int
    /// The green a running group shows at least before a call ends it. The monitor holds every green
    /// to its own configured minimum, which no call may shorten; this sets the least green on
    /// entry, and what a call cuts is the rest of the green (extensions, max and fixed-time splits).
    public var minGreen: Tenths
    /// The least time the dwell stage is served once reached, however short the call.
    public var minDwell: Tenths
    /// An input on longer than this (from its rising edge) is taken for a stuck detector: event 110,
    /// and the preempt is released until the input goes off.
    public var maxPresence: Tenths

    public init(
        number: Int, name: String, input: Int, dwellStage: Int, exitStage: Int, minGreen: Tenths, minDwell: Tenths,
        maxPresence: Tenths
    ) {
        self.number = number
        self.name = name
        self.input = input
        self.dwellStage = dwellStage
        self.exitStage = exitStage
        self.minGreen = minGreen
        self.minDwell = minDwell
        self.maxPresence = maxPresence
    }
}
