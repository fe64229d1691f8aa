import SignalCore
import Testing

/// Actuated timing: calls, gap-out, max-out, recalls and call memory.
@Suite struct ActuationTests {
    /// Starts the crossroads and runs it to the main road's green.
    private func started(_ junction: Junction = TestJunctions.crossroads) -> ControllerHarness {
        var harness = ControllerHarness(junction)
        harness.run(200)
        return harness
    }

    private func greens(_ harness: ControllerHarness, group: Int) -> [ControllerEvent] {
        harness.events.filter { $0.code == .phaseBeginGreen && $0.parameter == group + 1 }
    }

    @Test func continuousTrafficMaxesOut() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        // Main road keeps its loop busy from the start; the side road calls once.
        let violation = harness.run(1100) { tick, snapshot in
            snapshot.actuations[0] = tick % 10 == 0 ? 1 : 0
            snapshot.actuations[1] = tick == 201 ? 1 : 0
        }
        #expect(violation == nil)
        let maxOut = harness.events.first { $0.code == .phaseMaxOut && $0.parameter == 1 }
        #expect(maxOut != nil)
        // Max green (30 s) counts from the conflicting call at tick 201.
        #expect(maxOut?.tick == 201 + 300)
    }

    @Test func gapOutAfterPassageTime() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        // Main-road vehicles every 2 s until tick 250; the side road calls at tick 201.
        harness.run(450) { tick, snapshot in
            snapshot.actuations[0] = tick % 20 == 10 && tick <= 250 ? 1 : 0
            snapshot.actuations[1] = tick == 201 ? 1 : 0
        }
        let gapOut = harness.events.first { $0.code == .phaseGapOut && $0.parameter == 1 }
        #expect(gapOut?.tick == 250 + 30, "the 3 s passage time after the last vehicle")
    }

    @Test func nonLockingCallIsForgottenWhenTheVehicleLeaves() {
        var junction = TestJunctions.crossroads
        junction.groups[1].memory = .nonLocking
        var harness = ControllerHarness(junction)
        // The main road is busy while a side vehicle waits briefly and turns away.
        harness.run(260) { tick, snapshot in
            snapshot.actuations[0] = tick % 20 == 0 ? 1 : 0
            snapshot.presence[1] = tick > 200 && tick < 210
        }
        harness.run(600)
        #expect(greens(harness, group: 1).isEmpty)
    }

    @Test func lockingCallIsRemembered() {
        var harness = started()
        harness.run(20) { tick, snapshot in snapshot.presence[1] = tick < 210 }
        harness.run(600)
        #expect(greens(harness, group: 1).count == 1)
    }

    @Test func minimumRecallServesWithoutDetectors() {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = started(junction)
        #expect(harness.run(3000) == nil)
        // Main has no demand, so after the first service the junction rests on the side road.
        #expect(greens(harness, group: 1).count == 1)
        #expect(harness.controller.signals[1] == .green)
    }

    @Test func maximumRecallRunsToMaxGreen() {
        var junction = TestJunctions.crossroads
        junction.groups[0].recall = .maximum
        junction.groups[1].recall = .maximum
        var harness = started(junction)
        #expect(harness.run(3000) == nil)
        let ends = harness.events.filter { $0.code == .phaseMaxOut }
        #expect(ends.count >= 4)
        #expect(!harness.events.contains { $0.code == .phaseGapOut })
    }

    @Test func softRecallReturnsWhenNothingElseCalls() {
        var junction = TestJunctions.crossroads
        junction.groups[0].recall = .soft
        var harness = started(junction)
        harness.run(1) { _, snapshot in snapshot.actuations[1] = 1 }
        #expect(harness.run(1200) == nil)
        #expect(greens(harness, group: 0).count == 2, "main road's green, then back to it after the side call")
        #expect(harness.controller.signals[0] == .green)
    }

    @Test func pedestrianCallGetsWalkAndFullClearance() {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = started(junction)
        harness.run(1) { _, snapshot in snapshot.actuations[2] = 1 }
        #expect(harness.run(1500) == nil)
        let walk = harness.events.first { $0.code == .pedBeginWalk && $0.parameter == 3 }
        let clear = harness.events.first { $0.code == .pedBeginClearance && $0.parameter == 3 }
        let dontWalk = harness.events.first { $0.code == .pedBeginDontWalk && $0.parameter == 3 }
        #expect(harness.events.contains { $0.code == .pedCallRegistered && $0.parameter == 3 })
        let walkTick = try? #require(walk?.tick)
        #expect(clear?.tick == walkTick.map { $0 + 70 })
        #expect(dontWalk?.tick == walkTick.map { $0 + 170 })
    }

    @Test func stagesWithoutDemandAreSkipped() {
        let groups = (0..<3).map { TestJunctions.vehicle("g\($0)") }
        let (conflicts, intergreen) = TestJunctions.matrices(
            count: 3, conflicts: [(0, 1, 50), (0, 2, 50), (1, 2, 50)])
        let junction = Junction(
            name: "three", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [0, 1, 2].map { Stage(name: "s\($0)", groups: [$0]) },
            detectors: [0, 1, 2].map { Detector(name: "d\($0)", groups: [$0]) })
        var harness = ControllerHarness(junction)
        harness.run(200)
        harness.run(1) { _, snapshot in snapshot.actuations[2] = 1 }
        #expect(harness.run(400) == nil)
        #expect(greens(harness, group: 1).isEmpty)
        #expect(greens(harness, group: 2).count == 1)
    }
}
