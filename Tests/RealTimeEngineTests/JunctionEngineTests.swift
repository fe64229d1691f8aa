import FieldIO
import JunctionConfig
import SignalCore
import Testing

@testable import RealTimeEngine

/// A FAKE output module for engine tests: it shows exactly what is commanded, except that it can
/// go silent (read-back unconfirmed, as a lost Modbus output module is) or show a lamp of its own.
final class OutputModuleFake: SignalOutputs {
    let groupCount: Int
    var silent = false
    /// A state the module shows for one group whatever is commanded (a welded relay).
    var stuck: (group: Int, state: SignalState)?
    private var shown: [SignalState]

    init(groupCount: Int) {
        self.groupCount = groupCount
        shown = Array(repeating: .dark, count: groupCount)
    }

    func apply(_ states: [SignalState], tick: Tenths) {
        guard !silent else { return }
        shown = states
        if let stuck { shown[stuck.group] = stuck.state }
    }

    func readBack(into states: inout [SignalState]) -> Bool {
        guard !silent else { return false }
        states = shown
        return true
    }

    func toggleWatchdog() {}
    var outputCounters: FieldBackendCounters { FieldBackendCounters() }
}

@Suite struct JunctionEngineTests {
    static func cirebon() throws -> Junction {
        try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction
    }

    /// Runs `ticks` ticks on simulated traffic, letting `each` change the output module first;
    /// returns the final status and the ticks at which the stage changed.
    static func run(
        _ ticks: Int, outputs: OutputModuleFake, each: (Tenths, OutputModuleFake) -> Void
    ) throws -> (status: ControllerStatus, stageChanges: [Tenths]) {
        let junction = try cirebon()
        let engine = JunctionEngine(
            junction: junction, inputs: SimulatedJunction(junction: junction, seed: 7), outputs: outputs)
        var stageChanges: [Tenths] = []
        var stage: Int?
        for tick in 1...ticks {
            each(tick, outputs)
            engine.tick(tick)
            let now = engine.board.withLock { $0.status.stage }
            if now != stage { stageChanges.append(tick) }
            stage = now
        }
        return (engine.board.withLock { $0.status.detached() }, stageChanges)
    }

    static let outage: Range<Tenths> = 2000..<2600

    @Test func anOutputOutageAcrossStageChangesLeavesNoFalseFault() throws {
        // A 60 s outage in the middle of normal running: stage changes happen unseen.
        let outputs = OutputModuleFake(groupCount: try Self.cirebon().groups.count)
        let outcome = try Self.run(6000, outputs: outputs) { tick, module in
            module.silent = Self.outage.contains(tick)
        }
        #expect(outcome.stageChanges.contains { Self.outage.contains($0) }, "a stage changed during the outage")
        #expect(outcome.status.fault == nil, "\(String(describing: outcome.status.fault))")
        #expect(outcome.status.mode == .normal)
    }

    @Test func aLampThatDisagreesAfterAnOutageIsStillAFault() throws {
        let outputs = OutputModuleFake(groupCount: try Self.cirebon().groups.count)
        let outcome = try Self.run(4000, outputs: outputs) { tick, module in
            module.silent = Self.outage.contains(tick)
            if tick == Self.outage.upperBound { module.stuck = (group: 0, state: .green) }
        }
        #expect(outcome.status.fault?.kind == .readBackMismatch)
    }
}
