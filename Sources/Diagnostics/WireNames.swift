import SignalCore

// The words the protocol uses for SignalCore's enums: stable, lower-case, hyphenated, and
// independent of Swift case names, so renaming a case never changes the wire.

extension SignalState {
    /// The aspect's word on the wire (`red-amber`, `flashing-dont-walk`).
    public var wireName: String {
        switch self {
        case .red: return "red"
        case .redAmber: return "red-amber"
        case .green: return "green"
        case .amber: return "amber"
        case .dontWalk: return "dont-walk"
        case .walk: return "walk"
        case .flashingDontWalk: return "flashing-dont-walk"
        case .flashingAmber: return "flashing-amber"
        case .flashingRed: return "flashing-red"
        case .dark: return "dark"
        }
    }

    /// The aspect named `wireName`, or nil.
    public init?(wireName: String) {
        guard let state = Self.allCases.first(where: { $0.wireName == wireName }) else { return nil }
        self = state
    }
}

extension FlashReason {
    /// The reason's word on the wire, as NTCIP `unitFlashStatus` names it.
    public var wireName: String {
        switch self {
        case .startup: return "startup"
        case .manual: return "manual"
        case .automatic: return "automatic"
        case .faultMonitor: return "fault-monitor"
        }
    }
}

extension SafetyViolation.Kind {
    /// The rule's word on the wire.
    public var wireName: String {
        switch self {
        case .conflict: return "conflict"
        case .minimumGreen: return "minimum-green"
        case .minimumClearance: return "minimum-clearance"
        case .intergreen: return "intergreen"
        case .illegalTransition: return "illegal-transition"
        case .illegalAspect: return "illegal-aspect"
        case .unsafeInitialState: return "unsafe-initial-state"
        case .readBackMismatch: return "read-back-mismatch"
        }
    }
}

extension EventCode {
    /// The event's word on the wire; the Indiana number travels beside it as `code`. A code added
    /// to SignalCore without a word here is written `event-<number>` rather than left out.
    public var wireName: String {
        Self.wireNames[self] ?? "event-\(rawValue)"
    }

    private static let wireNames: [EventCode: String] = [
        .phaseOn: "phase-on",
        .phaseBeginGreen: "begin-green",
        .phaseCheck: "phase-check",
        .phaseMinComplete: "min-complete",
        .phaseGapOut: "gap-out",
        .phaseMaxOut: "max-out",
        .phaseForceOff: "force-off",
        .phaseGreenTermination: "green-termination",
        .phaseBeginAmber: "begin-amber",
        .phaseEndAmber: "end-amber",
        .phaseBeginRedClearance: "begin-red-clearance",
        .phaseEndRedClearance: "end-red-clearance",
        .phaseInactive: "phase-inactive",
        .pedBeginWalk: "begin-walk",
        .pedBeginClearance: "begin-ped-clearance",
        .pedBeginDontWalk: "begin-dont-walk",
        .phaseCallRegistered: "call-registered",
        .phaseCallDropped: "call-dropped",
        .pedCallRegistered: "ped-call-registered",
        .detectorOff: "detector-off",
        .detectorOn: "detector-on",
        .detectorRestored: "detector-restored",
        .detectorFaultOther: "detector-fault",
        .detectorFaultWatchdog: "detector-comm-fault",
        .preemptCallInputOn: "preempt-input-on",
        .preemptCallInputOff: "preempt-input-off",
        .preemptEntryStarted: "preempt-entry-started",
        .preemptBeginTrackClearance: "preempt-track-clearance",
        .preemptBeginDwell: "preempt-dwell",
        .preemptMaxPresenceExceeded: "preempt-max-presence-exceeded",
        .preemptBeginExitInterval: "preempt-exit",
        .patternChange: "pattern-change",
        .flashStatus: "flash-status",
        .alarmStatus: "alarm-status",
        .manualControl: "manual-control",
        .adaptiveGreenExtended: "adaptive-green-extended",
        .adaptiveGreenCut: "adaptive-green-cut",
        .adaptiveMaxGreenRaised: "adaptive-max-green-raised",
        .adaptiveMaxGreenLowered: "adaptive-max-green-lowered",
        .maxWaitService: "max-wait-service",
        .flashEnded: "flash-ended",
        .tickStall: "tick-stall",
        .clockStep: "clock-step",
        .clockSynchronisation: "clock-synchronisation",
        .scheduleOverride: "schedule-override",
        .operatorCommand: "operator-command",
    ]
}
