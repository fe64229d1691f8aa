/// The operating mode of the controller, as status reports and the event log show it.
public enum ControllerMode: Sendable, Equatable {
    /// Startup flash after power-up or restart.
    case startupFlash
    /// All-red before the first stage, after startup or after leaving flash.
    case allRed
    /// Running stages (actuated, adaptive or fixed-time).
    case normal
    /// Greens are being ended by the automatic-flash rule before flash.
    case enteringFlash(FlashReason)
    /// Flashing on request (manual or automatic).
    case flash(FlashReason)
    /// The safety monitor latched a violation; only an explicit reset leaves this.
    case fault

    /// A one-word name for logs, status lines and the wire.
    public var name: String {
        switch self {
        case .startupFlash: return "startup"
        case .allRed: return "all-red"
        case .normal: return "normal"
        case .enteringFlash: return "entering-flash"
        case .flash: return "flash"
        case .fault: return "fault"
        }
    }
}

/// Why a group's green ended.
public enum TerminationReason: String, Sendable {
    case none
    case gapOut = "gap-out"
    case maxOut = "max-out"
    case forceOff = "force-off"
    case manualAdvance = "advance"
    case flash = "flash"
}

/// The state of one detector as its diagnostics see it.
public enum DetectorHealth: String, Sendable, CaseIterable {
    case ok
    case noActivity = "no-activity"
    case maxPresence = "max-presence"
    case erratic
    case communication

    /// The Indiana event code that reports this fault.
    var eventCode: EventCode { self == .communication ? .detectorFaultWatchdog : .detectorFaultOther }
}

/// A snapshot of the controller for status reports, the diagnostic socket and tests.
///
/// Building it copies arrays, so the runtime reads it outside the tick, not inside.
public struct ControllerStatus: Sendable, Equatable {
    public var tick: Tenths
    public var mode: ControllerMode
    /// The stage running (or being entered), as an index into `Junction.stages`; nil outside normal mode.
    public var stage: Int?
    /// The tick at which the stage's last group came on; time in stage is `tick - stageStartTick`.
    public var stageStartTick: Tenths
    /// True while a stage change is in progress (clearance, all-red, red+amber).
    public var inTransition: Bool
    /// The fixed-time plan running, or nil for actuated control.
    public var planName: String?
    /// The running plan's NTCIP pattern number: the fixed-time plan's 1-based index, 0 for free operation.
    public var planNumber = 0
    /// Who chose the running plan (`PlanSource`).
    public var planSource = PlanSource.startup
    /// Whether the adaptive strategy decides now (false without one, under a fixed-time plan, or while
    /// `actuated` is selected).
    public var adaptiveActive = false
    /// Whether a plan choice waits for the next safe point.
    public var planPending = false
    public var holdActive: Bool
    public var flashRequest: FlashReason?
    /// The latched safety-monitor fault, if any.
    public var fault: SafetyViolation?
    public var signals: [SignalState]
    public var calls: [Bool]
    public var lastTermination: [TerminationReason]
    public var detectorHealth: [DetectorHealth]
    public var detectorPresence: [Bool]
    /// Events that did not fit in a tick's event buffer since start (should stay 0).
    public var droppedEvents: Int
    /// The adaptive strategy's estimates and why it last stretched or cut each green; nil when
    /// plain actuated control runs.
    public var adaptive: AdaptiveStatus?
    /// The preempt being served and its phase; nil when none is. While it enters and dwells, `stage`
    /// is its dwell stage.
    public var preempt: PreemptStatus?
    /// During a stage change, the stage being left (index into `Junction.stages`); nil otherwise,
    /// and nil when the change leaves no stage (the first stage after all-red).
    public var leavingStage: Int? = nil
    /// During a stage change, tenths until the last intergreen into the entering stage has run,
    /// counted from the greens that have ended; 0 once they all have (red+amber may still run) and
    /// outside a stage change.
    public var intergreenRemaining: Tenths = 0
}
