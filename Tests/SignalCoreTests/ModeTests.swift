import SignalCore
import Testing

/// Flash, hold, advance, fixed-time plans, detector faults and the monitor latch.
@Suite struct ModeTests {
    private func started(_ junction: Junction = TestJunctions.crossroads) -> ControllerHarness {
        var harness = ControllerHarness(junction)
        harness.run(200)
        return harness
    }

    @Test func flashRequestFinishesMinimumGreenThenClearsThenFlashes() throws {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = started(junction)
        // Serve the side road; ask for flash one tick after its green starts.
        harness.run(600) { tick, _ in _ = tick }
        let greenTick = try #require(harness.events.last { $0.code == .phaseBeginGreen && $0.parameter == 2 }?.tick)
        #expect(harness.controller.submit(.flash(on: true, reason: .manual)) == .accepted)
        #expect(harness.run(200) == nil)
        #expect(harness.controller.status.mode == .flash(.manual))
        let amber = harness.events.first { $0.code == .phaseBeginAmber && $0.parameter == 2 && $0.tick > greenTick }
        #expect(amber != nil)
        #expect((amber?.tick ?? 0) - greenTick >= 70, "minimum green completed before flash")
        let flash = harness.events.first { $0.code == .flashStatus }
        #expect((flash?.tick ?? 0) >= (amber?.tick ?? 0) + 30, "amber and all-red before flash")
        #expect(harness.controller.signals == [.flashingAmber, .flashingAmber, .dark])

        #expect(harness.controller.submit(.flash(on: false, reason: .manual)) == .accepted)
        harness.run(1)
        #expect(harness.controller.status.mode == .allRed)
        let violation = harness.run(300)
        #expect(violation == nil, "\(String(describing: violation))")
        #expect(harness.controller.status.mode == .normal)
    }

    /// A request in the all-red of a stage change gives the change up: the side road, not yet in
    /// red+amber, never opens, and flash follows after the all-red instead of after its green.
    @Test func flashRequestDuringAnIntergreenGivesUpTheStageBeingEntered() throws {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = ControllerHarness(junction)
        var mainWasGreen = false
        while !(mainWasGreen && harness.controller.signals[0] == .red), harness.tick < 5000 {
            mainWasGreen = mainWasGreen || harness.controller.signals[0] == .green
            #expect(harness.run(1) == nil)
        }
        #expect(harness.controller.signals[1] == .red, "the side road waits for its intergreen")
        let requested = harness.tick
        #expect(harness.controller.submit(.flash(on: true, reason: .manual)) == .accepted)
        #expect(harness.run(100) == nil)
        #expect(harness.controller.status.mode == .flash(.manual))
        let opened = harness.events.filter { $0.tick >= requested && $0.code == .phaseBeginGreen }
        #expect(opened.isEmpty, "\(opened)")
        let flash = try #require(harness.events.first { $0.code == .flashStatus && $0.tick >= requested })
        #expect(flash.tick - requested <= junction.startup.allRedTime + 2, "flash within an all-red of the request")
    }

    @Test func holdKeepsTheStageAndAdvanceEndsItAfterMinimums() {
        var harness = started()
        #expect(harness.controller.submit(.hold(true)) == .accepted)
        harness.run(1) { _, snapshot in snapshot.actuations[1] = 1 }
        #expect(harness.run(1000) == nil)
        #expect(harness.controller.signals[0] == .green, "held beyond max green")
        #expect(harness.controller.submit(.hold(false)) == .accepted)
        #expect(harness.controller.submit(.advance) == .accepted)
        #expect(harness.run(200) == nil)
        #expect(harness.controller.signals[1] == .green)
    }

    @Test func advanceRightAfterGreenWaitsForMinimumGreen() {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = ControllerHarness(junction)
        harness.run(200)
        // The first stage's green started recently; advance must not cut its minimum.
        let mainGreen = harness.events.first { $0.code == .phaseBeginGreen && $0.parameter == 1 }?.tick ?? 0
        #expect(harness.controller.submit(.advance) == .accepted)
        #expect(harness.run(300) == nil)
        let amber = harness.events.first { $0.code == .phaseBeginAmber && $0.parameter == 1 }?.tick ?? 0
        #expect(amber - mainGreen >= 70)
    }

    @Test func requestsRefusedOutsideNormalOperation() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        harness.run(5)
        #expect(harness.controller.submit(.hold(true)) != .accepted)
        #expect(harness.controller.submit(.advance) != .accepted)
        #expect(harness.controller.submit(.selectPlan("night")) != .accepted)
        #expect(harness.controller.submit(.forceCall(detector: 9)) != .accepted)
        #expect(harness.controller.submit(.resetFault) != .accepted)
    }

    @Test func forcedCallActsLikeAnActuation() {
        var harness = started()
        #expect(harness.controller.submit(.forceCall(detector: 1)) == .accepted)
        #expect(harness.run(400) == nil)
        #expect(harness.events.contains { $0.code == .phaseCallRegistered && $0.parameter == 2 })
        #expect(harness.events.contains { $0.code == .phaseBeginGreen && $0.parameter == 2 })
    }

    @Test func fixedTimePlanKeepsItsCycle() {
        var harness = started()
        #expect(harness.controller.submit(.selectPlan("day")) == .accepted)
        #expect(harness.run(6000) == nil)
        let mainGreens = harness.events.filter { $0.code == .phaseBeginGreen && $0.parameter == 1 }.map(\.tick)
        let steady = Array(mainGreens.suffix(5))
        let gaps = zip(steady.dropFirst(), steady).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 == 600 }, "one main green per 60 s cycle once in step: \(gaps)")
        #expect(harness.events.contains { $0.code == .phaseForceOff })
        #expect(harness.controller.status.planName == "day")
    }

    @Test func failedDetectorPlacesMaxRecallAndRecoveryIsAnEvent() {
        var junction = TestJunctions.crossroads
        junction.groups[0].recall = .minimum
        junction.detectors[1].diagnostics = DetectorDiagnosticLimits(maxPresenceMinutes: 1)
        var harness = started(junction)
        // The side loop is stuck on for two minutes, then released.
        #expect(harness.run(1800) { tick, snapshot in snapshot.presence[1] = tick < 1500 } == nil)
        #expect(harness.events.contains { $0.code == .detectorFaultOther && $0.parameter == 2 })
        #expect(harness.events.contains { $0.code == .detectorRestored && $0.parameter == 2 })
        #expect(harness.controller.status.detectorHealth[1] == .ok)
        let sideMaxOuts = harness.events.filter { $0.code == .phaseMaxOut && $0.parameter == 2 }
        #expect(!sideMaxOuts.isEmpty, "max recall while failed")
    }

    @Test func communicationFaultIgnoresStaleInputAndRecalls() {
        var harness = started()
        #expect(harness.run(600) { _, snapshot in snapshot.communicationFault[1] = true } == nil)
        #expect(harness.controller.status.detectorHealth[1] == .communication)
        #expect(harness.events.contains { $0.code == .detectorFaultWatchdog && $0.parameter == 2 })
        #expect(harness.events.contains { $0.code == .phaseBeginGreen && $0.parameter == 2 })
    }

    @Test func erraticDetectorIsFlagged() {
        var junction = TestJunctions.crossroads
        junction.detectors[0].diagnostics = DetectorDiagnosticLimits(erraticCountsPerMinute: 100)
        var harness = started(junction)
        #expect(harness.run(700) { _, snapshot in snapshot.actuations[0] = 1 } == nil)
        #expect(harness.controller.status.detectorHealth[0] == .erratic)
    }

    @Test func noActivityIsFlagged() {
        var junction = TestJunctions.crossroads
        junction.detectors[0].diagnostics = DetectorDiagnosticLimits(noActivityMinutes: 2)
        var harness = started(junction)
        harness.run(1300)
        #expect(harness.controller.status.detectorHealth[0] == .noActivity)
        harness.run(1) { _, snapshot in snapshot.actuations[0] = 1 }
        #expect(harness.controller.status.detectorHealth[0] == .ok)
    }

    @Test func restoredFaultStartsInFaultFlashUntilReset() {
        let fault = SafetyViolation(tick: 5, kind: .conflict, groups: [0, 1], description: "earlier")
        let controller = SignalController(junction: TestJunctions.crossroads, restoredFault: fault)
        let snapshot = DetectorSnapshot(detectorCount: 3)
        for tick in 1...300 { controller.step(tick: tick, detectors: snapshot) }
        #expect(controller.status.mode == .fault)
        #expect(controller.signals == [.flashingAmber, .flashingAmber, .dark])
        #expect(controller.submit(.flash(on: false, reason: .manual)) != .accepted)
        #expect(controller.submit(.resetFault) == .accepted)
        for tick in 301...600 { controller.step(tick: tick, detectors: snapshot) }
        #expect(controller.status.mode == .normal)
        #expect(controller.fault == nil)
    }

    @Test func sameInputsGiveSameOutputs() {
        func run() -> [[SignalState]] {
            var harness = ControllerHarness(TestJunctions.crossroads)
            harness.run(5000) { tick, snapshot in
                snapshot.actuations[tick % 3] = tick % 37 == 0 ? 1 : 0
            }
            return harness.history
        }
        #expect(run() == run())
    }
}

/// Reloading a junction while it runs.
@Suite struct HandoverTests {
    @Test func reloadTakesOverAtAStageWithoutLampChange() throws {
        var harness = ControllerHarness(TestJunctions.crossroads)
        harness.run(300)
        var longer = TestJunctions.crossroads
        longer.groups[1].timing.minGreen = 150
        let next = try SignalController(junction: longer, handoverFrom: harness.controller)
        #expect(next.signals == harness.controller.signals)
        // The new controller continues from the same tick; its monitor carries the old history,
        // so a lamp change it did not expect would trip it.
        var snapshot = DetectorSnapshot(detectorCount: 3)
        var sideGreenStart: Tenths?
        var sideGreenEnd: Tenths?
        for tick in 301...1500 {
            snapshot.clearActuations()
            snapshot.actuations[1] = tick == 310 ? 1 : 0
            snapshot.actuations[0] = tick == 600 ? 1 : 0
            next.step(tick: tick, detectors: snapshot)
            if next.signals[1] == .green && sideGreenStart == nil { sideGreenStart = tick }
            if next.signals[1] == .amber && sideGreenEnd == nil { sideGreenEnd = tick }
        }
        #expect(next.fault == nil)
        let start = try #require(sideGreenStart)
        let end = try #require(sideGreenEnd)
        #expect(end - start >= 150, "the new, longer minimum green governs the next green")
    }

    @Test func reloadRefusedMidTransitionAndForChangedGroups() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        harness.run(52)
        #expect(throws: SignalController.HandoverError.self) {
            try SignalController(junction: TestJunctions.crossroads, handoverFrom: harness.controller)
        }
        harness.run(300)
        var renamed = TestJunctions.crossroads
        renamed.groups[0].name = "arterial"
        #expect(throws: SignalController.HandoverError.groupLayoutChanged) {
            try SignalController(junction: renamed, handoverFrom: harness.controller)
        }
    }

    /// A flash asked for inside a minimum green leaves the controller in its stage, in normal
    /// operation, for seconds; a reload then would govern the rest of the way into flash with its
    /// own (here much longer) timings, past the bound the stop waits for. It waits instead.
    @Test func reloadWaitsWhileFlashIsRequested() throws {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = ControllerHarness(junction)
        harness.run(200)
        var ticks = 0
        while harness.controller.signals[1] != .green && ticks < 2000 {
            harness.run(1)
            ticks += 1
        }
        try #require(harness.controller.signals[1] == .green)
        #expect(harness.controller.isAtStageRest)
        #expect(harness.controller.submit(.flash(on: true, reason: .manual)) == .accepted)
        harness.run(1)
        #expect(harness.controller.status.mode == .normal && !harness.controller.status.inTransition)
        #expect(!harness.controller.isAtStageRest)
        var slower = junction
        slower.groups[1].timing.minGreen = 600
        #expect(throws: SignalController.HandoverError.notAtSafePoint("flash requested")) {
            try SignalController(junction: slower, handoverFrom: harness.controller)
        }
    }
}
