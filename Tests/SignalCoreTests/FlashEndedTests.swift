import SignalCore
import Testing

/// Event 206 `flashEnded`: every way out of flash into normal service leaves one, naming the flash
/// that ended, at the tick the lamps stop flashing.
@Suite struct FlashEndedTests {
    private func flashEnded(_ events: [ControllerEvent]) -> [ControllerEvent] {
        events.filter { $0.code == .flashEnded }
    }

    @Test func startupFlashEndsOnceWithItsReason() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        #expect(harness.run(400) == nil)
        #expect(harness.controller.status.mode == .normal)
        let ended = flashEnded(harness.events)
        #expect(ended.map(\.parameter) == [Int(FlashReason.startup.rawValue)])
        // The lamps flash up to the event's tick and show the all-red from it on.
        let tick = ended[0].tick
        #expect(harness.history[tick - 2] == [.flashingAmber, .flashingAmber, .dark])
        #expect(!harness.history[tick - 1].contains(.flashingAmber))
    }

    @Test(arguments: [FlashReason.manual, .automatic])
    func requestedFlashEndsWithItsReason(_ reason: FlashReason) {
        var harness = ControllerHarness(TestJunctions.crossroads)
        harness.run(300)
        #expect(harness.controller.submit(.flash(on: true, reason: reason)) == .accepted)
        #expect(harness.run(300) == nil)
        #expect(harness.controller.status.mode == .flash(reason))
        let before = harness.events.count
        #expect(harness.controller.submit(.flash(on: false, reason: reason)) == .accepted)
        #expect(harness.run(300) == nil)
        #expect(harness.controller.status.mode == .normal)
        #expect(flashEnded(Array(harness.events[before...])).map(\.parameter) == [Int(reason.rawValue)])
    }

    @Test func faultFlashEndsAfterResetWithTheFaultReason() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        #expect(harness.run(300) == nil)
        let controller = harness.controller
        controller.reportFieldFault(SafetyViolation(tick: 300, kind: .readBackMismatch, groups: [0], description: "test"))
        // Stepped directly: the harness's own monitor would stop at the jump into fault flash.
        let snapshot = DetectorSnapshot(detectorCount: 3)
        var events: [ControllerEvent] = []
        for tick in 301...400 {
            controller.step(tick: tick, detectors: snapshot)
            events += controller.tickEvents
        }
        #expect(controller.status.mode == .fault)
        #expect(flashEnded(events).isEmpty, "fault flash never ends by itself")
        #expect(controller.submit(.resetFault) == .accepted)
        for tick in 401...700 {
            controller.step(tick: tick, detectors: snapshot)
            events += controller.tickEvents
        }
        #expect(controller.status.mode == .normal)
        #expect(flashEnded(events).map(\.parameter) == [Int(FlashReason.faultMonitor.rawValue)])
    }

    @Test func restoredFaultReportsTheFaultFlashWhenReset() {
        let fault = SafetyViolation(tick: 5, kind: .conflict, groups: [0, 1], description: "earlier")
        let controller = SignalController(junction: TestJunctions.crossroads, restoredFault: fault)
        let snapshot = DetectorSnapshot(detectorCount: 3)
        var events: [ControllerEvent] = []
        for tick in 1...300 {
            controller.step(tick: tick, detectors: snapshot)
            events += controller.tickEvents
        }
        #expect(flashEnded(events).isEmpty, "fault flash never ends by itself")
        #expect(controller.submit(.resetFault) == .accepted)
        for tick in 301...600 {
            controller.step(tick: tick, detectors: snapshot)
            events += controller.tickEvents
        }
        #expect(controller.status.mode == .normal)
        #expect(flashEnded(events).map(\.parameter) == [Int(FlashReason.faultMonitor.rawValue)])
    }
}
