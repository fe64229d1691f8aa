import RealTimeEngine
import SignalCore
import Wire

/// Builds the status report the junction pushes, from the controller's status and the counters
/// of the engine, the loop, the store and the upstream socket.
struct UpstreamStatusBuilder {
    /// Everything outside `ControllerStatus` that a report carries.
    struct Inputs {
        var engine: EngineCounters
        var loopOverruns: UInt64
        var ledger: UpstreamLedger.State
        var drops: DropCounters
        /// Datagrams the kernel discarded with the receive buffer full (`SO_RXQ_OVFL`).
        var kernelDrops: UInt64
        var accepted: UInt64
        var sent: UInt64
        var sendErrors: UInt64
        var resent: UInt64
        var pollsAnswered: UInt64
        var replaySaveErrors: UInt64
        var outputUnconfirmedRecently: Bool
        var centralSilent: Bool
        /// The neighbour link's counters (`neighbour…`), when the junction has `[neighbours]`.
        var neighbours: [StatusCounter: UInt64] = [:]
        /// Seconds to the schedule's next change (`ScheduleOutlook`); 0 without one.
        var nextPlanChangeSeconds: UInt64 = 0
        /// The clock discipline's findings (`ClockStatus`); nil before the clock watch has run.
        var clock: ClockStatus?
    }

    let configHash: UInt64

    func report(_ status: ControllerStatus, _ inputs: Inputs, reason: StatusReport.Reason, requestId: UInt32 = 0)
        -> StatusReport
    {
        var report = StatusReport()
        report.requestId = requestId
        report.reason = reason
        (report.mode, report.controllerMode, report.flashReason) = Self.modes(status)
        report.stage = status.stage
        report.inTransition = status.inTransition
        report.holdActive = status.holdActive
        report.planRunning = status.planName != nil
        report.timeInStageTenths = UInt32(clamping: max(0, status.tick - status.stageStartTick))
        report.controllerTick = UInt64(max(0, status.tick))
        report.configHash = configHash
        report.faultKind = status.fault?.kind
        let marks = inputs.ledger.marks
        report.eventsStoredThrough = marks.eventsLast
        report.eventsAckedThrough = marks.eventsAcked
        report.countsStoredThrough = marks.countsLast
        report.countsAckedThrough = marks.countsAcked
        report.groups = status.signals.indices.prefix(StatusReport.maximumGroups).map { index in
            StatusReport.Group(
                aspect: status.signals[index], call: index < status.calls.count && status.calls[index],
                lastTermination: index < status.lastTermination.count ? status.lastTermination[index] : .none)
        }
        report.detectors = status.detectorHealth.indices.prefix(StatusReport.maximumDetectors).map { index in
            StatusReport.Detector(
                presence: index < status.detectorPresence.count && status.detectorPresence[index],
                communicationFault: status.detectorHealth[index] == .communication,
                health: status.detectorHealth[index])
        }
        report.alarms = alarms(status, inputs)
        fillCounters(&report, status, inputs)
        return report
    }

    static func modes(_ status: ControllerStatus)
        -> (StatusReport.Mode, StatusReport.ControllerModeCode, FlashReason?)
    {
        switch status.mode {
        case .startupFlash: return (.startup, .startupFlash, .startup)
        case .allRed: return (.startup, .allRed, nil)
        case .normal: return (status.holdActive ? .manual : .normal, .normal, nil)
        case .enteringFlash(let reason): return (.flash, .enteringFlash, reason)
        case .flash(let reason): return (reason == .faultMonitor ? .fault : .flash, .flash, reason)
        case .fault: return (.fault, .fault, .faultMonitor)
        }
    }

    private func alarms(_ status: ControllerStatus, _ inputs: Inputs) -> StatusAlarms {
        var alarms: StatusAlarms = []
        if status.fault != nil { alarms.insert(.safetyFault) }
        switch status.mode {
        case .flash, .fault, .startupFlash: alarms.insert(.flashing)
        default: break
        }
        if status.detectorHealth.contains(where: { $0 != .ok }) { alarms.insert(.detectorFault) }
        if inputs.outputUnconfirmedRecently { alarms.insert(.outputUnconfirmed) }
        if inputs.ledger.storeFull { alarms.insert(.storeFull) }
        if inputs.ledger.storeFailing { alarms.insert(.storeFailing) }
        if inputs.ledger.journalGaps + inputs.ledger.eventsDropped > 0 { alarms.insert(.eventsLost) }
        if inputs.centralSilent { alarms.insert(.centralSilent) }
        if inputs.clock?.alarm == true { alarms.insert(.clockUnsynchronised) }
        return alarms
    }

    private func fillCounters(_ report: inout StatusReport, _ status: ControllerStatus, _ inputs: Inputs) {
        let engine = inputs.engine
        let ledger = inputs.ledger
        report[.controllerEventsDropped] = UInt64(max(0, status.droppedEvents))
        report[.journalOverwritten] = ledger.journalGaps
        report[.loopOverruns] = inputs.loopOverruns
        report[.unconfirmedOutputTicks] = engine.unconfirmedOutputTicks
        report[.requestsDropped] = engine.requestsDropped
        report[.detectorErrors] = UInt64(max(0, engine.detectors.faults + engine.detectors.drops))
        report[.outputErrors] = UInt64(max(0, engine.outputs.faults + engine.outputs.drops))
        report[.datagramsSent] = inputs.sent
        report[.sendErrors] = inputs.sendErrors
        report[.datagramsAccepted] = inputs.accepted
        for reason in DropReason.allCases {
            report[reason.counter] = inputs.drops[reason]
        }
        report[.recordsResent] = inputs.resent
        report[.storeCommits] = ledger.commits
        report[.storeFull] = ledger.fullEvents
        report[.storeErrors] = ledger.errors
        report[.eventsStored] = ledger.eventsStored
        report[.countBinsStored] = ledger.binsStored
        report[.eventsDroppedBeforeStore] = ledger.eventsDropped
        report[.unackedRecordsRetired] = ledger.unackedRetired
        report[.pollsAnswered] = inputs.pollsAnswered
        report[.dropKernelOverflow] = inputs.kernelDrops
        report[.tickStalls] = engine.tickStalls
        if let clock = inputs.clock {
            report[.clockSteps] = clock.steps
            report[.clockSynchronised] = clock.isSynchronised ? 1 : 0
            report[.clockUnsynchronisedSeconds] = UInt64(max(0, clock.unsynchronisedSeconds))
            report[.clockOffsetMicroseconds] = UInt64((clock.offsetNanoseconds ?? 0).magnitude / 1000)
            report[.clockMaxErrorMicroseconds] = UInt64(max(0, clock.reading?.kernel?.maxErrorMicroseconds ?? 0))
        }
        report[.replayStateSaveErrors] = inputs.replaySaveErrors
        for (counter, value) in inputs.neighbours { report[counter] = value }
        report[.planPattern] = UInt64(max(0, status.planNumber))
        report[.planSource] = Self.sourceCodes[status.planSource] ?? 0
        report[.nextPlanChangeSeconds] = inputs.nextPlanChangeSeconds
    }

    /// The wire codes of `PlanSource` (docs/protocol.md, counter 51).
    static let sourceCodes: [PlanSource: UInt64] = [.startup: 0, .schedule: 1, .override: 2]

    /// Seconds from the outlook's local time to its next change; 0 when there is none.
    static func secondsToNextChange(_ outlook: ScheduleOutlook?) -> UInt64 {
        guard let outlook, let next = outlook.decision.next else { return 0 }
        return UInt64(max(0, next.at.localSeconds - outlook.localTime.localSeconds))
    }
}
