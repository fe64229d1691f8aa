import SignalCore

/// The event log's completeness, checked tick by tick: every change of mode, plan and preempt
/// phase the controller's status shows leaves its event (code and parameter) in the same tick's
/// events, so an engineer reading the log sees every transition the lamps went through.
///
/// The rules: into flash, the flash status (173) with its reason; into fault flash, 173 with
/// `faultMonitor`; out of a flash (startup flash included) into the all-red before service,
/// `flashEnded` (206); a new running
/// plan, `patternChange` (131) with its pattern number; a preempt's new phase, its Indiana event
/// (105 entry, 106 track clearance, 107 dwell, 111 exit) with the preempt's number.
struct EventLogAudit {
    private var before: ControllerStatus
    private var after: ControllerStatus
    /// Transitions checked, for the property's summary (a check that saw none proves nothing).
    private(set) var transitions = 0

    init(_ controller: SignalController) {
        before = controller.status
        after = before
    }

    /// Compares the controller's status after this tick's step with the one before it; returns the
    /// transitions whose event is missing, in words.
    mutating func observe(_ controller: SignalController, tick: Tenths) -> [String] {
        controller.writeStatus(into: &after)
        defer { swap(&before, &after) }
        var missing: [String] = []
        let events = controller.tickEvents
        // A nil parameter takes any: the startup flash after a fault reset reports the fault.
        func expect(_ code: EventCode, _ parameter: Int?, _ what: String) {
            transitions += 1
            if !events.contains(where: { $0.code == code && (parameter == nil || $0.parameter == parameter) }) {
                missing.append("tick \(tick): \(what) left no event \(code.rawValue) (\(parameter.map(String.init) ?? "any")); events \(Array(events))")
            }
        }
        switch (before.mode, after.mode) {
        case (.flash, .flash), (.fault, .fault): break
        case (_, .flash(let reason)): expect(.flashStatus, Int(reason.rawValue), "entering flash")
        case (_, .fault): expect(.flashStatus, Int(FlashReason.faultMonitor.rawValue), "entering fault flash")
        case (.flash(let reason), .allRed): expect(.flashEnded, Int(reason.rawValue), "leaving flash")
        case (.startupFlash, .allRed): expect(.flashEnded, nil, "leaving startup flash")
        default: break
        }
        if after.planNumber != before.planNumber {
            expect(.patternChange, after.planNumber, "plan \(before.planNumber) -> \(after.planNumber)")
        }
        if let preempt = after.preempt, preempt.number != before.preempt?.number || preempt.phase != before.preempt?.phase {
            let code: EventCode
            switch preempt.phase {
            case .entry: code = .preemptEntryStarted
            case .trackClearance: code = .preemptBeginTrackClearance
            case .dwell: code = .preemptBeginDwell
            case .exit: code = .preemptBeginExitInterval
            }
            expect(code, preempt.number, "preempt \(preempt.number) \(preempt.phase.rawValue)")
        }
        return missing
    }
}
