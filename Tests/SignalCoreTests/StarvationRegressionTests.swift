import SignalCore
import Testing

/// The ways the safety property found a standing call waiting longer than its bound, each cut down
/// to a deterministic case. Every junction passes `JunctionValidator`; the limit is `ServiceBound`'s.
@Suite struct StarvationRegressionTests {
    private static func vehicle(_ name: String, min: Tenths, max: Tenths, passage: Tenths = 30,
                                recall: RecallMode = .none) -> SignalGroup {
        SignalGroup(
            name: name, kind: .vehicle,
            timing: SignalGroupTiming(minGreen: min, maxGreen: max, passage: passage, clearance: 30, redAmber: 15),
            recall: recall)
    }

    /// A push button pressed while its own stage rests in green with no other call: the crossing
    /// must still get its walk. (The controller looks for demand only in the other stages, and a
    /// crossing that did not enter when its stage began is never entered later.)
    @Test func pedestrianCalledDuringItsOwnRestingStageGetsWalk() {
        let walk = SignalGroupTiming(minGreen: 60, maxGreen: 60, passage: 0, clearance: 90, redAmber: 0)
        let groups = [
            Self.vehicle("main", min: 100, max: 400, recall: .minimum),
            Self.vehicle("side", min: 80, max: 250),
            SignalGroup(name: "crossing", kind: .pedestrian, timing: walk),
        ]
        var (conflicts, intergreen) = TestJunctions.matrices(count: 3, conflicts: [(0, 1, 55), (1, 2, 55)])
        intergreen[2][1] = 90 + 15 + 10
        let junction = Junction(
            name: "resting crossing", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "main", groups: [0, 2]), Stage(name: "side", groups: [1])],
            detectors: [
                Detector(name: "side-loop", groups: [1]),
                Detector(name: "button", groups: [2], function: .call, placement: .pushButton),
            ])
        #expect(JunctionValidator().problems(in: junction).isEmpty)
        let bound = ServiceBound.actuated(junction)

        var harness = ControllerHarness(junction)
        #expect(harness.run(400) == nil)
        #expect(harness.controller.signals == [.green, .red, .dontWalk], "main rests; the crossing was not called")
        // The button is pressed once at 40.1 s; nothing else ever calls.
        let violation = harness.run(bound) { tick, snapshot in
            snapshot.actuations[1] = tick == 401 ? 1 : 0
            snapshot.presence[1] = (401...405).contains(tick)
        }
        #expect(violation == nil)
        let walked = harness.events.contains { $0.code == .pedBeginWalk && $0.parameter == 3 }
        #expect(walked, "the crossing, called at tick 401, has no walk \(bound) ticks later (the service bound)")
    }

    /// A green that conflicts with nothing waiting, extended by steady traffic, must still end at its
    /// max green once a group of another stage calls. (The max timer starts only on a call from a
    /// conflicting group, so here it never starts and the green runs for as long as traffic keeps coming.)
    @Test func nonConflictingGreenIsCappedByMaxGreenWhenAnotherStageCalls() {
        let groups = [Self.vehicle("through", min: 90, max: 420), Self.vehicle("turn", min: 120, max: 280, passage: 50)]
        let (conflicts, intergreen) = TestJunctions.matrices(count: 2, conflicts: [])
        let junction = Junction(
            name: "separate stages", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "through", groups: [0]), Stage(name: "turn", groups: [1])], sequence: [1, 0],
            detectors: [Detector(name: "through-loop", groups: [0]), Detector(name: "turn-loop", groups: [1])])
        #expect(JunctionValidator().problems(in: junction).isEmpty)
        let bound = ServiceBound.actuated(junction)

        var harness = ControllerHarness(junction)
        // A turning vehicle every 3 s keeps the turn arrow extended (passage 5 s); one through
        // vehicle arrives at 60 s.
        let violation = harness.run(600 + bound) { tick, snapshot in
            snapshot.actuations[1] = tick % 30 == 0 ? 1 : 0
            snapshot.actuations[0] = tick == 600 ? 1 : 0
        }
        #expect(violation == nil)
        let throughGreen = harness.events.first { $0.code == .phaseBeginGreen && $0.parameter == 1 }
        #expect(throughGreen != nil, "the through call at tick 600 is not served within \(bound) ticks (the bound)")
        let turnEnd = harness.events.first { $0.code == .phaseGreenTermination && $0.parameter == 2 }
        #expect((turnEnd?.tick ?? .max) <= 600 + 280 + 1, "the turn arrow should max out 28 s after the call")
    }
    /// A fixed-time plan entered 0.9 s before its running stage's force-off: the stage still runs its
    /// minimums (walk and clearance, 19.8 s), past the other stage's whole window, and that crossing
    /// waits for its window in the next cycle, walking 63.5 s after its call. The fixed-time bound
    /// must count that entry: with only a cycle and the transitions (63.2 s here) the watch reported
    /// starvation, in a generated case of the safety property.
    @Test func aCallBehindTheMinimumsOfThePlansEntryStageIsServedInTheNextCycle() {
        let walk = { (min: Tenths, clearance: Tenths) in
            SignalGroupTiming(minGreen: min, maxGreen: min, passage: 0, clearance: clearance, redAmber: 0)
        }
        let groups = [
            SignalGroup(name: "P0", kind: .pedestrian, timing: walk(76, 122), recall: .pedestrian),
            SignalGroup(name: "P1", kind: .pedestrian, timing: walk(18, 107), recall: .pedestrian),
        ]
        let (conflicts, intergreen) = TestJunctions.matrices(count: 2, conflicts: [])
        var junction = Junction(
            name: "two crossings", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "P0", groups: [0]), Stage(name: "P1", groups: [1])], sequence: [0, 1])
        junction.startup = StartupTiming(flashTime: 72, allRedTime: 40)
        junction.plans = [FixedTimePlan(name: "fixed", cycle: 514, offset: 270, splits: [365, 149])]
        #expect(JunctionValidator().problems(in: junction).isEmpty)
        let controller = SignalController(junction: junction)
        #expect(controller.submit(.selectPlan("fixed")) == .accepted)
        var watch = StarvationWatch(junction: junction, planRunning: true)
        let snapshot = DetectorSnapshot(detectorCount: 0)
        var before = controller.signals
        var firstWalk: [Tenths?] = [nil, nil]
        for tick in 1...2 * watch.bound {
            controller.step(tick: tick, detectors: snapshot)
            #expect(watch.observe(tick: tick, snapshot: snapshot, before: before, after: controller.signals) == nil)
            for g in 0..<2 where controller.signals[g] == .walk && firstWalk[g] == nil { firstWalk[g] = tick }
            before = controller.signals
        }
        // P0 walks at once after startup and runs on into the next cycle; P1 waits for its window there.
        #expect(firstWalk[0] == 113)
        #expect(firstWalk[1] == 636)
    }
}

