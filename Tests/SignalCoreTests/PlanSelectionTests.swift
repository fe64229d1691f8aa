import SignalCore
import Testing

/// Plan selection by the schedule and by a technician: applied only at a safe point, logged as
/// `patternChange` (131), an override held across schedule changes until released (210).
@Suite struct PlanSelectionTests {
    private func started(_ junction: Junction = TestJunctions.crossroads) -> ControllerHarness {
        var harness = ControllerHarness(junction)
        harness.run(200)
        return harness
    }

    /// Runs until the controller is in a stage change, with the side road calling.
    private func runIntoTransition(_ harness: inout ControllerHarness) {
        for _ in 0..<2000 where !harness.controller.status.inTransition {
            harness.run(1) { _, snapshot in snapshot.presence[1] = true }
        }
    }

    @Test func scheduleChoiceWaitsForTheNextStageRest() {
        var harness = started()
        runIntoTransition(&harness)
        #expect(harness.controller.status.inTransition)
        #expect(harness.controller.submit(.schedule(.fixedTime("day"))) == .accepted)
        #expect(harness.controller.status.planPending)
        var restBefore = harness.controller.isAtStageRest
        var changeTick: Tenths?
        for _ in 0..<600 where changeTick == nil {
            let wasAtRest = harness.controller.isAtStageRest
            #expect(harness.run(1) == nil)
            if harness.controller.tickEvents.contains(where: { $0.code == .patternChange }) {
                changeTick = harness.tick
                restBefore = wasAtRest
            }
        }
        #expect(changeTick != nil, "the plan was applied")
        #expect(restBefore, "applied only once the stage change had finished")
        #expect(harness.events.last { $0.code == .patternChange }?.parameter == 1)
        #expect(harness.controller.status.planName == "day")
        #expect(harness.controller.status.planSource == .schedule)
        #expect(!harness.controller.status.planPending)
    }

    @Test func overrideHoldsAcrossScheduleChangesUntilReleased() {
        var harness = started()
        #expect(harness.controller.submit(.schedule(.fixedTime("day"))) == .accepted)
        harness.run(1000)
        #expect(harness.controller.status.planName == "day")
        #expect(harness.controller.submit(.selectPlan(nil)) == .accepted)
        harness.run(1000)
        #expect(harness.controller.status.planName == nil)
        #expect(harness.controller.status.planSource == .override)
        // The schedule moves on while the technician holds free operation.
        #expect(harness.controller.submit(.schedule(.actuated)) == .accepted)
        #expect(harness.controller.submit(.schedule(.fixedTime("day"))) == .accepted)
        harness.run(1000)
        #expect(harness.controller.status.planName == nil, "the override holds")
        #expect(harness.controller.submit(.releaseOverride) == .accepted)
        #expect(harness.controller.submit(.releaseOverride) != .accepted, "nothing left to release")
        harness.run(1000)
        #expect(harness.controller.status.planName == "day", "the schedule's latest choice runs again")
        #expect(harness.controller.status.planSource == .schedule)
        let codes = harness.events.filter { $0.code == .patternChange || $0.code == .scheduleOverride }
            .map { "\($0.code.rawValue):\($0.parameter)" }
        #expect(codes == ["131:1", "210:1", "131:0", "210:0", "131:1"])
    }

    @Test func unknownPlansAreRefusedAndChangeNothing() {
        var harness = started()
        #expect(harness.controller.submit(.schedule(.fixedTime("nosuch"))) != .accepted)
        #expect(harness.controller.submit(.selectPlan("nosuch")) != .accepted)
        harness.run(100)
        #expect(harness.controller.status.planSource == .startup)
        #expect(!harness.events.contains { $0.code == .patternChange || $0.code == .scheduleOverride })
    }

    @Test func actuatedPausesTheStrategyAndAdaptiveResumesIt() {
        let junction = TestJunctions.crossroads
        let strategy = AdaptiveSettings(strategy: .saturation).makeStrategy(for: junction)
        let controller = SignalController(junction: junction, strategy: strategy)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var events: [ControllerEvent] = []
        func run(_ ticks: ClosedRange<Tenths>) {
            for tick in ticks {
                snapshot.clearActuations()
                snapshot.presence[1] = tick % 300 < 40
                controller.step(tick: tick, detectors: snapshot)
                events.append(contentsOf: controller.tickEvents)
                #expect(controller.fault == nil)
            }
        }
        run(1...200)
        #expect(controller.status.adaptiveActive)
        #expect(controller.submit(.schedule(.actuated)) == .accepted)
        run(201...2000)
        #expect(!controller.status.adaptiveActive)
        #expect(controller.status.adaptive != nil, "the strategy keeps observing while paused")
        #expect(controller.submit(.schedule(.adaptive)) == .accepted)
        run(2001...4000)
        #expect(controller.status.adaptiveActive)
        #expect(events.filter { $0.code == .patternChange }.map(\.parameter) == [0, 0])
    }
}
