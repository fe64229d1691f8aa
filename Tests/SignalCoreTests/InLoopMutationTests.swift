@_spi(MutationTesting) import SignalCore
import Testing

/// Mutants inside the production step: the states the sequencing chose are corrupted on their way
/// out (through `SignalController.sequencingFault`) and the controller's own monitor, the one that
/// runs in the loop, must latch fault flash in the same step, so the corruption never leaves the
/// controller. Unlike `MutationTests`, no second monitor is involved: the controller is given the
/// true junction and only its sequencing is broken.
@Suite struct InLoopMutationTests {
    private static let junctions = 40
    /// Long enough for every corruption to find its moment on most junctions.
    private static let ticksPerRun = 12_000

    private struct Result {
        var corruptedAt: Tenths?
        var faultBefore: SafetyViolation?
        var fault: SafetyViolation?
        var mode: ControllerMode?
        var published: [SignalState] = []
    }

    /// Runs `generated` on its traffic until `corruption` has been applied once.
    private static func run(_ generated: JunctionCase, _ corruption: CommandCorruption) -> Result {
        let junction = generated.junction
        let settings = AdaptiveSettings(strategy: generated.strategy)
        let controller = SignalController(junction: junction, strategy: settings.makeStrategy(for: junction))
        if let plan = generated.startPlan { _ = controller.submit(.selectPlan(plan)) }
        var injector = CommandCorruption.Injector(junction: junction, corruption: corruption)
        controller.sequencingFault = { tick, states in injector.apply(tick: tick, states: &states) }
        var traffic = DetectorTrafficGenerator(junction: junction, seed: generated.trafficSeed)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var result = Result()
        for tick in 1...ticksPerRun {
            traffic.fill(&snapshot, tick: tick)
            controller.step(tick: tick, detectors: snapshot)
            if let at = injector.corruptedAt {
                result.corruptedAt = at
                result.fault = controller.fault
                result.mode = controller.status.mode
                result.published = controller.signals
                return result
            }
            if result.faultBefore == nil { result.faultBefore = controller.fault }
        }
        return result
    }

    /// Random junctions, plain and NEMA ring-barrier, with their strategies and plans.
    private static var cases: [JunctionCase] {
        var random = SeededRandom(seed: 1313)
        return (0..<junctions).map { index in
            let genes = (0..<300).map { _ in random.int(0...9999) }
            return JunctionGenerator.build(
                genes: genes, trafficSeed: random.next(), strategies: AdaptiveSettings.Strategy.allCases,
                ringBarrier: index % 4 == 0)
        }
    }

    @Test(arguments: CommandCorruption.allCases)
    func theControllersOwnMonitorLatchesFlashInTheSameStep(_ corruption: CommandCorruption) {
        var applied = 0
        var ringBarrier = 0
        var latched = 0
        for generated in Self.cases {
            let result = Self.run(generated, corruption)
            #expect(result.faultBefore == nil,
                    "honest steps faulted: \(String(describing: result.faultBefore))\n\(generated)")
            guard let at = result.corruptedAt else { continue }
            applied += 1
            if generated.junction.name.hasPrefix("ring-barrier") { ringBarrier += 1 }
            #expect(result.fault?.tick == at, "latched at the corrupted step \(at)\n\(generated)")
            #expect(result.fault?.kind == corruption.expected, "\(String(describing: result.fault))\n\(generated)")
            #expect(result.mode == .fault)
            #expect(result.published.allSatisfy { $0.isFlash }, "published \(result.published)\n\(generated)")
            if result.fault?.tick == at && result.fault?.kind == corruption.expected { latched += 1 }
        }
        print("in-loop mutant \(corruption.rawValue): applied on \(applied) of \(Self.junctions) junctions "
            + "(\(ringBarrier) ring-barrier), the expected fault latched in the same step on \(latched)")
        // Every corruption must actually happen on most junctions, or this test could pass by never
        // corrupting anything (a skipped red+amber or an early green needs a group with, or without,
        // red+amber, so those are rarer; most ring-barrier layouts have none).
        #expect(applied >= Self.junctions / 2)
        #expect(ringBarrier >= 2, "ring-barrier junctions corrupted too")
    }
}
