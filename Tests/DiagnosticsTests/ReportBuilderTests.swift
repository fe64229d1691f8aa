import SignalCore
import Testing

@testable import Diagnostics

@Suite struct ReportBuilderTests {
    let builder = ReportBuilder(junction: TestJunction.crossing())

    @Test func eventsNameTheirGroupDetectorPlanOrReason() {
        func subject(_ code: EventCode, _ parameter: Int) -> String? {
            builder.event(sequence: 1, ControllerEvent(tick: 3, code: code, parameter: parameter)).subject
        }
        #expect(subject(.phaseBeginGreen, 1) == "main")
        #expect(subject(.pedCallRegistered, 2) == "walk")
        #expect(subject(.detectorOn, 2) == "button")
        #expect(subject(.detectorOn, 3) == nil)
        #expect(subject(.patternChange, 1) == "fixed")
        #expect(subject(.patternChange, 0) == "actuated")
        #expect(subject(.flashStatus, Int(FlashReason.manual.rawValue)) == "manual")
        #expect(subject(.alarmStatus, 0) == "cleared")
        #expect(subject(.alarmStatus, Int(SafetyViolation.Kind.conflict.rawValue)) == "conflict")
        #expect(subject(.manualControl, 1) == "hold on")
        let record = builder.event(sequence: 9, ControllerEvent(tick: 3, code: .phaseGapOut, parameter: 1))
        #expect(record.code == 4 && record.name == "gap-out" && record.sequence == 9 && record.tick == 3)
    }

    @Test func auditRecordsNameTheOperatorAndTheCommand() {
        let call = builder.audit(.call(.name("button")), detectorIndex: 1, uid: 1000)!
        let record = builder.event(sequence: 2, call.event(tick: 8))
        #expect(record.operator == EventRecord.Operator(uid: 1000, command: "call button"))
        let plan = builder.audit(.plan("fixed"), detectorIndex: nil, uid: 0)!
        #expect(builder.event(sequence: 3, plan.event(tick: 8)).subject == "plan fixed")
        let actuated = builder.audit(.plan(nil), detectorIndex: nil, uid: 0)!
        #expect(builder.event(sequence: 4, actuated.event(tick: 8)).subject == "plan actuated")
        let auto = builder.audit(.planAuto, detectorIndex: nil, uid: 1000)!
        #expect(builder.event(sequence: 5, auto.event(tick: 9)).operator == EventRecord.Operator(uid: 1000, command: "plan auto"))
        let released = ControllerEvent(tick: 9, code: .scheduleOverride, parameter: 0)
        #expect(builder.event(sequence: 6, released).subject == "released")
        #expect(builder.audit(.status, detectorIndex: nil, uid: 0) == nil)
    }

    @Test func detectorsAreFoundByNameOrNumber() {
        #expect(builder.detectorIndex(.name("button")) == 1)
        #expect(builder.detectorIndex(.number(1)) == 0)
        #expect(builder.detectorIndex(.number(3)) == nil)
        #expect(builder.detectorIndex(.name("nosuch")) == nil)
    }

    @Test func statusSaysWhatTheControllerIsDoing() {
        let run = ControllerRun()
        var observer = JunctionObserver(groupCount: 2, detectorCount: 2)
        var status = run.step().0
        let loop = StatusReport.Loop(ticks: 1, overruns: 0, missedTicks: 0, latenessP50Nanoseconds: 0, latenessP99Nanoseconds: 0,
                                     latenessP999Nanoseconds: 0, latenessMaxNanoseconds: 0, maxTickWorkNanoseconds: 0)
        let counters = StatusReport.Counters(unconfirmedOutputTicks: 0, watchdogToggles: 0, requestsDropped: 0, reloadsApplied: 0,
                                             reloadsRefused: 0, reloadWaitTicks: 0, droppedEvents: 0, journalLastSequence: 0,
                                             journalOverwritten: 0)
        let backend = StatusReport.Backend(backend: "simulated", reads: 0, writes: 0, retries: 0, drops: 0, faults: 0)
        func report() -> StatusReport {
            builder.status(status, observer: observer, loop: loop, counters: counters,
                           field: .init(detectors: backend, outputs: backend), server: ServerCounters())
        }
        #expect(report().mode == "startup" && report().flashReason == "startup" && report().stage == nil)
        while status.mode != .normal || status.inTransition {
            status = run.step().0
            observer.observe(status)
        }
        for _ in 0..<25 {
            status = run.step().0
            observer.observe(status)
        }
        let normal = report()
        #expect(normal.stage == StatusReport.StageReference(number: 1, name: "traffic"))
        #expect(normal.timeInStageTenths == status.tick - status.stageStartTick)
        #expect(normal.groups[0].state == "green" && normal.groups[1].state == "dont-walk")
        #expect(normal.groups[0].intervalTenths != nil)
        #expect(normal.flashReason == nil && normal.fault == nil && normal.detectorFaults.isEmpty)
        _ = run.controller.submit(.flash(on: true, reason: .manual))
        status = run.step().0
        #expect(report().flashRequest == "manual")
    }
}
