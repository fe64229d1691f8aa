import PropertyBased
import SignalCore
import Testing

/// `SignalGroup.maxWait` through the production controller: a strategy may pass a group over and
/// extend greens until the group has waited its `max_wait`; from then on its stage is served next,
/// each such service is a `maxWaitService` event, and on random junctions, traffic and detector
/// faults every group with a `max_wait` turns green within the bound its doc comment derives.
@Suite struct MaxWaitTests {
    /// Wants every green held and the arrow's stage always passed over: the worst a strategy may
    /// propose, so that only the controller's `max_wait` rule can serve the arrow.
    final class PassOverArrow: GreenTimingStrategy {
        let name = "pass-over"
        let arrowPosition: Int
        let junction: Junction

        init(junction: Junction, arrowPosition: Int) {
            self.junction = junction
            self.arrowPosition = arrowPosition
        }

        func observe(tick: Tenths, presence: [Bool], actuations: [Int], signals: [SignalState], running: Bool) {}
        func propose(tick: Tenths, stage: Int, next: Int, greenSince: [Tenths]) -> GreenProposal {
            .extend(.queueDischarging)
        }
        func preferredNext(current: Int, cyclicNext: Int, hasDemand: (Int) -> Bool) -> Int? {
            guard cyclicNext == arrowPosition else { return nil }
            return (cyclicNext + 1) % junction.sequence.count
        }
        func maxGreen(for g: Int) -> Tenths { junction.groups[g].timing.maxGreen }
        func writeStatus(into status: inout AdaptiveStatus) {}
        func recordDecision(group g: Int, decision: AdaptiveDecision, greenStart: Tenths) -> Bool { false }
        func nextDecision() -> (group: Int, decision: AdaptiveDecision)? { nil }
    }

    /// Main (0, on minimum recall), a right-turn arrow (1, called by its loop) and a side road
    /// (2, on minimum recall), all conflicting, in stages main → arrow → side.
    static func arrowJunction(maxWait: Tenths?) -> Junction {
        var arrow = TestJunctions.vehicle("arrow", minGreen: 50, maxGreen: 200)
        arrow.kind = .turnArrow
        arrow.maxWait = maxWait
        let groups = [
            TestJunctions.vehicle("main", recall: .minimum), arrow, TestJunctions.vehicle("side", recall: .minimum),
        ]
        let (conflicts, intergreen) = TestJunctions.matrices(
            count: 3, conflicts: [(0, 1, 50), (0, 2, 50), (1, 2, 50)])
        return Junction(
            name: "arrow", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "main", groups: [0]), Stage(name: "arrow", groups: [1]), Stage(name: "side", groups: [2])],
            detectors: [Detector(name: "arrow-stop", groups: [1])])
    }

    struct Trace {
        var events: [ControllerEvent] = []
        var greenStarts: [(group: Int, tick: Tenths)] = []

        func ticks(of code: EventCode, group: Int) -> [Tenths] {
            events.filter { $0.code == code && $0.parameter == group + 1 }.map(\.tick)
        }
    }

    /// Runs the arrow junction under `PassOverArrow` with one arrow call at tick 10.
    static func runArrow(maxWait: Tenths?, ticks: Int) -> Trace {
        let junction = arrowJunction(maxWait: maxWait)
        let controller = SignalController(junction: junction, strategy: PassOverArrow(junction: junction, arrowPosition: 1))
        var monitor = SafetyMonitor(junction: junction)
        var snapshot = DetectorSnapshot(detectorCount: 1)
        var trace = Trace()
        var before = controller.signals
        for tick in 1...ticks {
            snapshot.clearActuations()
            snapshot.presence[0] = tick == 10
            snapshot.actuations[0] = tick == 10 ? 1 : 0
            controller.step(tick: tick, detectors: snapshot)
            trace.events.append(contentsOf: controller.tickEvents)
            for g in 0..<3 where controller.signals[g] == .green && before[g] != .green {
                trace.greenStarts.append((g, tick))
            }
            before = controller.signals
            #expect(monitor.check(tick: tick, states: controller.signals) == nil)
        }
        return trace
    }

    @Test func withoutMaxWaitTheArrowIsPassedOverForever() {
        let trace = Self.runArrow(maxWait: nil, ticks: 6000)
        #expect(!trace.greenStarts.contains { $0.group == 1 })
        #expect(trace.events.allSatisfy { $0.code != .maxWaitService })
    }

    @Test func passingOverIsAllowedWithinTheBoundThenTheArrowIsServedNext() throws {
        // Main runs first to its max (30 s after the calls), then the arrow, waiting since tick 10,
        // is passed over once; side runs; at tick 10 + 60 s the arrow is overdue.
        let maxWait: Tenths = 600
        let trace = Self.runArrow(maxWait: maxWait, ticks: 3000)
        let greens = trace.greenStarts.map(\.group)
        let arrowGreen = try #require(trace.greenStarts.first { $0.group == 1 }?.tick)
        // Passed over once: main, then side, then the arrow (not main again).
        #expect(Array(greens.prefix(3)) == [0, 2, 1])
        // The side green was still held by the strategy when the arrow became overdue: from then
        // on only the actuated rule holds it, and min recall without a loop gaps out at once.
        let overdueAt: Tenths = 10 + maxWait
        #expect(trace.ticks(of: .phaseGreenTermination, group: 2).first == overdueAt)
        #expect(trace.ticks(of: .phaseGapOut, group: 2).first == overdueAt)
        #expect(trace.ticks(of: .maxWaitService, group: 1) == [overdueAt])
        // Green after the interstage and the arrow's red+amber, well inside the derived bound.
        let junction = Self.arrowJunction(maxWait: maxWait)
        #expect(arrowGreen == overdueAt + junction.intergreen[2][1])
        #expect(arrowGreen - 10 <= maxWait + ServiceBound.actuated(junction))
    }

    @Test func anOverdueArrowStopsTheAdvanceStrategyExtending() throws {
        // AdaptiveStrategyTests' platoon: the advance strategy holds main until the platoon crossed
        // the stop line (green + 114). With the side road's max_wait of 10 s from its call at
        // green + 5, the hold ends at green + 105: past the actuated gap-out, and side served next.
        var junction = AdaptiveStrategyTests.twoRoads
        junction.groups[1].maxWait = 100
        var run = AdaptiveStrategyTests.Run(junction, strategy: .advance)
        let green = try #require(run.untilGreen(0) { tick in tick == 10 ? [AdaptiveStrategyTests.mainStop] : [] })
        let platoon = green + 70
        let outcome = run.run(200) { tick in
            var hits: [Int] = []
            if tick == green + 5 { hits.append(AdaptiveStrategyTests.sideStop) }
            let offset = tick - platoon
            if (0..<10).contains(offset) && offset % 2 == 0 { hits.append(AdaptiveStrategyTests.mainAdvance) }
            if (36..<46).contains(offset) && offset % 2 == 0 { hits.append(AdaptiveStrategyTests.mainStop) }
            return hits
        }
        #expect(outcome == nil)
        #expect(run.ticks(of: .phaseGreenTermination, group: 0).first == green + 105)
        #expect(run.ticks(of: .adaptiveGreenExtended, group: 0).count == 1)
        #expect(run.ticks(of: .maxWaitService, group: 1) == [green + 105])
    }

    @Test func anOverduePedestrianOfTheRunningStageWalksAtOnce() throws {
        // Main with the crossing of the side road (1), then the side road (2). The push button is
        // pressed after main's stage began, the side road calls at the same tick: the walker waits
        // as long (and is first on the tie), so once overdue it walks in the running stage instead
        // of waiting a cycle.
        var walker = TestJunctions.pedestrian("walker")
        walker.maxWait = 100
        let (conflicts, intergreen) = TestJunctions.matrices(count: 3, conflicts: [(0, 2, 50), (1, 2, 50)])
        let junction = Junction(
            name: "crossing", groups: [TestJunctions.vehicle("main"), walker, TestJunctions.vehicle("side")],
            conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "main", groups: [0, 1]), Stage(name: "side", groups: [2])],
            detectors: [
                Detector(name: "button", groups: [1], function: .call, placement: .pushButton),
                Detector(name: "side-loop", groups: [2]),
            ])
        let button = 0, sideLoop = 1
        let controller = SignalController(
            junction: junction, strategy: PassOverArrow(junction: junction, arrowPosition: -1))
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var mainGreen: Tenths?
        var pressed: Tenths?
        var walk: Tenths?
        var events: [ControllerEvent] = []
        for tick in 1...3000 where walk == nil {
            snapshot.clearActuations()
            snapshot.presence[button] = false
            snapshot.presence[sideLoop] = false
            if let start = mainGreen, pressed == nil, tick == start + 20 {
                snapshot.presence[button] = true
                snapshot.actuations[button] = 1
                pressed = tick
            }
            if pressed == tick {
                snapshot.presence[sideLoop] = true
                snapshot.actuations[sideLoop] = 1
            }
            controller.step(tick: tick, detectors: snapshot)
            events.append(contentsOf: controller.tickEvents)
            if mainGreen == nil && controller.signals[0] == .green { mainGreen = tick }
            if controller.signals[1] == .walk { walk = tick }
        }
        let press = try #require(pressed)
        let walked = try #require(walk)
        // The strategy holds main (its extension is refused only once the walker is overdue; the
        // walker is in main's own stage, so the stage stays and the walk is added to it).
        #expect(walked - press >= 100)
        #expect(walked - press <= 100 + 2)
        #expect(controller.signals[0] == .green)
        #expect(events.contains { $0.code == .maxWaitService && $0.parameter == 2 })
    }

    /// The max_wait bound on every tick: random junctions (2–10 groups, NEMA layouts included) with
    /// random `max_wait` values, the advance and saturation strategies, random traffic with detector
    /// faults; `StarvationWatch` reads calls from the inputs alone and flags any group with a
    /// `max_wait` still not green `max_wait` + the actuated bound after its call. Shares
    /// `JUNCTIOND_PROPERTY_HOURS` with the other properties (a fifth of it), so its hours go in the
    /// summary line, not in a `property hours:` line: scripts/check-test-counts.py asks each suite
    /// that prints one for the whole budget.
    @Test(.shrinking) func everyGroupWithMaxWaitIsServedWithinItsBound() async {
        let budget = PropertyBudget.share(0.2)
        let tally = PropertyTally(budget: budget)
        let forced = ForcedCount()
        let cases = JunctionGenerator.cases(strategies: [.advance, .saturation], maxWaits: true)
        await propertyCheck(count: budget.cases, input: cases) { generated in
            if let issues = tally.knownFailure(generated) { return SafetyPropertyTests.record(issues) }
            guard tally.shouldRun(generated) else { return }
            var run = SimulationRun(generated, hours: tally.hours(budget.hoursPerCase))
            run.checkMaxWait = true
            let outcome = run.run()
            forced.add(outcome.maxWaitServices)
            let issues = SafetyPropertyTests.issues(outcome, generated)
            tally.add(outcome, generated, issues: issues)
            SafetyPropertyTests.record(issues)
        }
        print(tally.summary("max_wait property") + ", \(forced.total) forced services")
        // The rule must have been exercised, or the property proves nothing.
        #expect(forced.total > 0)
    }

    final class ForcedCount: @unchecked Sendable {
        private(set) var total = 0
        func add(_ count: Int) { total += count }
    }
}
