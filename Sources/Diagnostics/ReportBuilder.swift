import SignalCore

/// Turns the controller's numbers into the protocol's words for one junction: group, stage,
/// detector and plan names, aspects, reasons.
///
/// Pure: the server hands it snapshots it took under the board's lock, so building a report
/// never holds that lock.
public struct ReportBuilder: Sendable {
    /// The junction the names come from.
    public let junction: Junction

    public init(junction: Junction) {
        self.junction = junction
    }

    /// The `status` reply (and `state` stream line) for `status`.
    public func status(
        _ status: ControllerStatus, observer: JunctionObserver, loop: StatusReport.Loop,
        counters: StatusReport.Counters, field: StatusReport.Field, server: ServerCounters
    ) -> StatusReport {
        let detectors = detectorStates(status, observer: observer)
        var stage: StatusReport.StageReference?
        if let index = status.stage, junction.stages.indices.contains(index) {
            stage = StatusReport.StageReference(number: index + 1, name: junction.stages[index].name)
        }
        var report = StatusReport(
            junction: junction.name, tick: status.tick, mode: status.mode.name, flashReason: flashReason(status.mode),
            stage: stage, inTransition: status.inTransition,
            timeInStageTenths: stage == nil ? nil : max(status.tick - status.stageStartTick, 0), plan: status.planName,
            planSource: status.planSource.rawValue, planNumber: status.planNumber,
            hold: status.holdActive, flashRequest: status.flashRequest?.wireName, fault: status.fault.map(fault),
            detectorFaults: detectors.filter { $0.health != DetectorHealth.ok.rawValue },
            groups: groups(status, observer: observer), detectors: detectors, loop: loop, counters: counters,
            field: field, server: server)
        report.preempt = status.preempt.map { preempt in
            StatusReport.Preempt(
                number: preempt.number,
                name: junction.preempts.first { $0.number == preempt.number }?.name ?? "#\(preempt.number)",
                phase: preempt.phase.rawValue, timeInPhaseTenths: max(status.tick - preempt.phaseStartTick, 0))
        }
        if let index = status.leavingStage, junction.stages.indices.contains(index) {
            report.leavingStage = StatusReport.StageReference(number: index + 1, name: junction.stages[index].name)
        }
        if stage != nil && status.inTransition { report.intergreenRemainingTenths = status.intergreenRemaining }
        return report
    }

    /// The `detectors` reply.
    public func detectors(_ status: ControllerStatus, observer: JunctionObserver) -> DetectorsReport {
        let rows = junction.detectors.enumerated().map { index, detector in
            DetectorsReport.Detector(
                number: index + 1, name: detector.name, groups: detector.groups.map(groupName),
                function: detector.function.rawValue, placement: detector.placement.rawValue,
                occupied: element(status.detectorPresence, index) ?? false,
                health: (element(status.detectorHealth, index) ?? .ok).rawValue,
                actuations: observer.actuations(detector: index),
                recentActuations: observer.recentActuations(detector: index),
                occupancyPermille: observer.occupancyPermille(detector: index),
                recentOccupancyPermille: observer.recentOccupancyPermille(detector: index),
                noActivityMinutes: detector.diagnostics.noActivityMinutes,
                maxPresenceMinutes: detector.diagnostics.maxPresenceMinutes,
                erraticPerMinute: detector.diagnostics.erraticCountsPerMinute,
                failedAction: detector.failedAction.rawValue)
        }
        return DetectorsReport(tick: status.tick, detectors: rows)
    }

    /// One journal event in words, with the wall-clock time it was journalled.
    public func event(sequence: UInt64, _ event: ControllerEvent, wallTimeMilliseconds: Int? = nil) -> EventRecord {
        var subject: String?
        var person: EventRecord.Operator?
        let number = event.parameter
        let code = event.code
        if Self.groupEvents.contains(code) {
            subject = junction.groups.indices.contains(number - 1) ? junction.groups[number - 1].name : nil
        } else if Self.detectorEvents.contains(code) {
            subject = junction.detectors.indices.contains(number - 1) ? junction.detectors[number - 1].name : nil
        } else if Self.preemptEvents.contains(code) {
            subject = junction.preempts.first { $0.number == number }?.name
        } else if code == .patternChange {
            subject = planName(index: number)
        } else if code == .scheduleOverride {
            subject = number == 0 ? "released" : "override"
        } else if code == .flashStatus {
            subject = UInt8(exactly: number).flatMap(FlashReason.init(rawValue:))?.wireName
        } else if let words = Self.timekeepingWords(code, number) {
            subject = words
        } else if code == .alarmStatus {
            subject = number == 0 ? "cleared" : UInt8(exactly: number).flatMap(SafetyViolation.Kind.init(rawValue:))?.wireName
        } else if code == .operatorCommand {
            subject = "uid \(number)"
        } else if code == .manualControl {
            if let audit = OperatorAudit(parameter: number) {
                let command = self.command(audit)
                subject = command
                person = EventRecord.Operator(uid: audit.uid, command: command)
            } else {
                subject = [0: "hold off", 1: "hold on", 2: "advance"][number]
            }
        }
        return EventRecord(
            sequence: sequence, tick: event.tick, code: Int(event.code.rawValue), name: event.code.wireName,
            parameter: number, subject: subject, operator: person, wallTimeMilliseconds: wallTimeMilliseconds)
    }

    /// The parameter of a leaving-flash, stall or clock event in words; nil for other codes.
    static func timekeepingWords(_ code: EventCode, _ parameter: Int) -> String? {
        switch code {
        case .flashEnded:
            let reason = UInt8(exactly: parameter).flatMap(FlashReason.init(rawValue:))?.wireName ?? "#\(parameter)"
            return "\(reason) flash ended"
        case .tickStall: return "stalled \(parameter) ms"
        case .clockStep: return "stepped \(parameter >= 0 ? "+" : "")\(parameter) s"
        case .clockSynchronisation: return parameter == 0 ? "unsynchronised beyond the limit" : "synchronised"
        default: return nil
        }
    }

    /// The audit record of a control request by `uid`, with detector and plan numbers resolved.
    /// `call` needs a detector index that exists (the server resolves names first).
    public func audit(_ request: DiagnosticRequest, detectorIndex: Int?, uid: UInt32) -> OperatorAudit? {
        switch request {
        case .flash(let on): return OperatorAudit(uid: uid, command: on ? .flashOn : .flashOff)
        case .hold(let on): return OperatorAudit(uid: uid, command: on ? .holdOn : .holdOff)
        case .advance: return OperatorAudit(uid: uid, command: .advance)
        case .resetFault: return OperatorAudit(uid: uid, command: .resetFault)
        case .call: return detectorIndex.map { OperatorAudit(uid: uid, command: .call, argument: $0 + 1) }
        case .plan(let name):
            let index = name.flatMap { name in junction.plans.firstIndex { $0.name == name } }
            return OperatorAudit(uid: uid, command: .plan, argument: index.map { $0 + 1 } ?? 0)
        case .planAuto: return OperatorAudit(uid: uid, command: .planAuto)
        case .hello, .status, .detectors, .events, .counts, .config, .subscribe, .unsubscribe: return nil
        }
    }

    /// The index of the detector a request names, or nil when the junction has no such detector.
    public func detectorIndex(_ reference: DetectorReference) -> Int? {
        switch reference {
        case .name(let name): return junction.detectors.firstIndex { $0.name == name }
        case .number(let number): return junction.detectors.indices.contains(number - 1) ? number - 1 : nil
        }
    }

    // MARK: - Pieces

    /// Events whose parameter is a 1-based signal group number.
    private static let groupEvents: Set<EventCode> = [
        .phaseOn, .phaseBeginGreen, .phaseCheck, .phaseMinComplete, .phaseGapOut, .phaseMaxOut, .phaseForceOff,
        .phaseGreenTermination, .phaseBeginAmber, .phaseEndAmber, .phaseBeginRedClearance, .phaseEndRedClearance,
        .phaseInactive, .pedBeginWalk, .pedBeginClearance, .pedBeginDontWalk, .phaseCallRegistered,
        .phaseCallDropped, .pedCallRegistered,
    ]
    /// Events whose parameter is a 1-based detector number.
    private static let detectorEvents: Set<EventCode> = [
        .detectorOff, .detectorOn, .detectorRestored, .detectorFaultOther, .detectorFaultWatchdog,
    ]

    /// Events whose parameter is a preempt number.
    private static let preemptEvents: Set<EventCode> = [
        .preemptCallInputOn, .preemptCallInputOff, .preemptEntryStarted, .preemptBeginTrackClearance,
        .preemptBeginDwell, .preemptMaxPresenceExceeded, .preemptBeginExitInterval,
    ]

    private func groups(_ status: ControllerStatus, observer: JunctionObserver) -> [StatusReport.Group] {
        junction.groups.enumerated().map { index, group in
            let termination = element(status.lastTermination, index) ?? TerminationReason.none
            return StatusReport.Group(
                number: index + 1, name: group.name, kind: group.kind.rawValue,
                state: (element(status.signals, index) ?? .dark).wireName,
                intervalTenths: observer.intervalTenths(group: index, at: status.tick),
                call: element(status.calls, index) ?? false,
                lastTermination: termination == .none ? nil : termination.rawValue)
        }
    }

    private func detectorStates(_ status: ControllerStatus, observer: JunctionObserver) -> [StatusReport.Detector] {
        junction.detectors.enumerated().map { index, detector in
            StatusReport.Detector(
                number: index + 1, name: detector.name, occupied: element(status.detectorPresence, index) ?? false,
                health: (element(status.detectorHealth, index) ?? .ok).rawValue,
                recentActuations: observer.recentActuations(detector: index),
                recentOccupancyPermille: observer.recentOccupancyPermille(detector: index))
        }
    }

    private func fault(_ violation: SafetyViolation) -> StatusReport.Fault {
        StatusReport.Fault(
            tick: violation.tick, kind: violation.kind.wireName, groups: violation.groups.map(groupName),
            description: violation.description)
    }

    private func flashReason(_ mode: ControllerMode) -> String? {
        switch mode {
        case .startupFlash: return FlashReason.startup.wireName
        case .enteringFlash(let reason), .flash(let reason): return reason.wireName
        case .fault: return FlashReason.faultMonitor.wireName
        case .allRed, .normal: return nil
        }
    }

    private func command(_ audit: OperatorAudit) -> String {
        audit.words(
            detector: { junction.detectors.indices.contains($0 - 1) ? junction.detectors[$0 - 1].name : nil },
            plan: planName(index:))
    }

    /// `actuated` for 0, else the name of the 1-based plan.
    private func planName(index: Int) -> String? {
        index == 0 ? "actuated" : (junction.plans.indices.contains(index - 1) ? junction.plans[index - 1].name : nil)
    }

    private func groupName(_ index: Int) -> String {
        junction.groups.indices.contains(index) ? junction.groups[index].name : "#\(index + 1)"
    }

    private func element<Element>(_ array: [Element], _ index: Int) -> Element? {
        array.indices.contains(index) ? array[index] : nil
    }
}
