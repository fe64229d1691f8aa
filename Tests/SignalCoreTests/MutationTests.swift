import SignalCore
import Testing

/// Deliberately broken controllers must be caught, both by a `SafetyMonitor` built from the true
/// junction and by the property tests' `IndependentSafetyChecker`, through the same `SimulationRun`
/// the properties use. This is what shows the safety properties can fail.
///
/// The mutants are the real controller, handed a falsified copy of the junction (its own monitor
/// then believes the falsehood too), or the real controller's output altered after the fact.
/// `InLoopMutationTests` covers the other half: the true junction with broken sequencing, caught by
/// the controller's own monitor inside the step.
@Suite struct MutationTests {
    private static let hours = 1.0

    private func run(
        controllerJunction: Junction, seed: UInt64 = 7, truth: Junction = MutantJunctions.truth,
        hours: Double = MutationTests.hours, filter: ((Tenths, inout [SignalState]) -> Void)? = nil
    ) -> SimulationRun.Outcome {
        var run = SimulationRun(JunctionCase(junction: truth, startPlan: nil, trafficSeed: seed), hours: hours)
        run.controllerJunction = controllerJunction
        run.checkWithTrueMonitor = true
        run.checkStarvation = false
        run.outputFilter = filter
        return run.run()
    }

    private func expectCaught(
        _ outcome: SimulationRun.Outcome, monitor: SafetyViolation.Kind, checker: IndependentSafetyChecker.Rule,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(outcome.trueMonitorViolation?.kind == monitor, "\(String(describing: outcome.trueMonitorViolation))",
                sourceLocation: sourceLocation)
        #expect(outcome.checkerFinding?.rule == checker, "\(String(describing: outcome.checkerFinding))",
                sourceLocation: sourceLocation)
        #expect(outcome.ticksRun < Int(Self.hours * 36_000), "caught before the end of the run",
                sourceLocation: sourceLocation)
    }

    @Test func theTrueJunctionIsValidAndRunsClean() {
        #expect(JunctionValidator().problems(in: MutantJunctions.truth).isEmpty)
        let outcome = run(controllerJunction: MutantJunctions.truth)
        #expect(!outcome.safetyViolated, "\(String(describing: outcome.checkerFinding))")
        #expect(outcome.greens > 100, "the junction cycles, so the mutants below have something to break")
    }

    @Test func ignoringIntergreensIsCaught() {
        expectCaught(run(controllerJunction: MutantJunctions.withoutIntergreens(MutantJunctions.truth)),
                     monitor: .intergreen, checker: .intergreen)
    }

    @Test func cuttingAmberIsCaught() {
        expectCaught(run(controllerJunction: MutantJunctions.withAmberCut(MutantJunctions.truth)),
                     monitor: .minimumClearance, checker: .minimumClearance)
    }

    @Test func cuttingMinimumGreensIsCaught() {
        expectCaught(run(controllerJunction: MutantJunctions.withMinimumsCut(MutantJunctions.truth)),
                     monitor: .minimumGreen, checker: .minimumGreen)
    }

    @Test func aConflictingStageBelievedSafeIsCaught() {
        let mutant = MutantJunctions.withConflictingStage(MutantJunctions.truth, believed: true)
        expectCaught(run(controllerJunction: mutant), monitor: .conflict, checker: .conflict)
    }

    /// Not a mutant that must be caught but the other half of the same config error: with the conflict
    /// matrix right, a stage that holds conflicting groups must not make the controller show a conflict.
    @Test func aConflictingStageWithTheRightMatrixShowsNoConflict() {
        let mutant = MutantJunctions.withConflictingStage(MutantJunctions.truth, believed: false)
        let outcome = run(controllerJunction: mutant)
        #expect(outcome.trueMonitorViolation == nil, "\(String(describing: outcome.trueMonitorViolation))")
        #expect(outcome.checkerFinding == nil, "\(String(describing: outcome.checkerFinding))")
        print("conflicting stage, right matrix: \(outcome.greens) greens in \(outcome.ticksRun) ticks")
    }

    @Test func redAmberWithoutGreenIsCaught() {
        var done = false
        var last: [SignalState] = []
        let outcome = run(controllerJunction: MutantJunctions.truth) { _, shown in
            // The first time a group should go red+amber → green, it drops back to red instead.
            for g in last.indices where !done && shown[g] == .green && last[g] == .redAmber {
                shown[g] = .red
                done = true
            }
            last = shown
        }
        expectCaught(outcome, monitor: .illegalTransition, checker: .redAmber)
    }

    @Test func amberBackToGreenIsCaught() {
        var reopened = false
        var last: [SignalState] = []
        let outcome = run(controllerJunction: MutantJunctions.truth) { _, shown in
            // Green → amber → green, as in SUMO PR #10082.
            for g in last.indices where !reopened && shown[g] == .amber && last[g] == .amber {
                shown[g] = .green
                reopened = true
            }
            last = shown
        }
        expectCaught(outcome, monitor: .illegalTransition, checker: .illegalTransition)
    }

    @Test func skippingAmberIsCaught() {
        let outcome = run(controllerJunction: MutantJunctions.truth) { _, shown in
            for g in shown.indices where shown[g] == .amber { shown[g] = .red }
        }
        expectCaught(outcome, monitor: .illegalTransition, checker: .illegalTransition)
    }

    /// On generated junctions too: every junction whose honest run shows a vehicle amber is caught
    /// when its ambers are cut, by both the monitor and the checker.
    @Test func cuttingAmberIsCaughtOnGeneratedJunctions() {
        var random = SeededRandom(seed: 2026)
        var caught = 0
        for _ in 0..<30 {
            let genes = (0..<300).map { _ in random.int(0...9999) }
            let generated = JunctionGenerator.build(genes: genes, trafficSeed: random.next())
            let truth = generated.junction
            var sawAmber = false
            _ = run(controllerJunction: truth, seed: generated.trafficSeed, truth: truth, hours: 0.25) { _, shown in
                if shown.contains(.amber) { sawAmber = true }
            }
            guard sawAmber else { continue }
            let outcome = run(controllerJunction: MutantJunctions.withAmberCut(truth), seed: generated.trafficSeed,
                              truth: truth, hours: 0.25)
            #expect(outcome.trueMonitorViolation?.kind == .minimumClearance, "\(generated)")
            #expect(outcome.checkerFinding?.rule == .minimumClearance, "\(generated)")
            caught += 1
        }
        print("amber cut caught on \(caught) of 30 generated junctions")
        #expect(caught >= 20, "most generated junctions change stage within 15 minutes")
    }
}
