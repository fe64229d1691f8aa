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
    /// Sub-code carried alongside, so logs tell the kinds of "other" fault apart.
    var index: Int {
        switch self {
        case .ok: return 0
        case .noActivity: return 1
        case .maxPresence: return 2
        case .erratic: return 3
        case .communication: return 4
        }
    }
}
