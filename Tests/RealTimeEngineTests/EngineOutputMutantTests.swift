import FieldIO
import Foundation
import JunctionConfig
import SignalCore
import Testing

@testable import RealTimeEngine

/// A FAKE output stage for the engine mutants: it drives the lamps with what is commanded except,
/// from one chosen tick on, one corruption of the command on its way out (a wrong aspect, or a
/// change of aspect that does not happen), which it then reads back as the lamps show it.
/// It counts watchdog toggles per tick.
final class CorruptingOutputStageFake: SignalOutputs {
    enum Corruption: CaseIterable {
        /// One group shows an aspect of its kind other than the one commanded (a conflicting
        /// green, a red in the middle of amber, a green instead of red+amber, …).
        case wrongAspect
        /// The first change of aspect after the chosen tick does not reach the lamp: an amber or
        /// red+amber stretched, a green that does not end.
        case missedChange
    }

    let groupCount: Int
    private let kinds: [SignalGroupKind]
    private let corruption: Corruption
    private let from: Tenths
    private var random: SplitMix64
    private var shown: [SignalState]
    private(set) var corruptedAt: Tenths?
    private(set) var commandedAfterCorruption: [[SignalState]] = []
    private(set) var togglesSinceCorruption = 0

    init(junction: Junction, corruption: Corruption, from: Tenths, seed: UInt64) {
        groupCount = junction.groups.count
        kinds = junction.groups.map(\.kind)
        self.corruption = corruption
        self.from = from
        random = SplitMix64(seed: seed)
        shown = Array(repeating: .dark, count: groupCount)
    }

    func apply(_ states: [SignalState], tick: Tenths) {
        if corruptedAt != nil { commandedAfterCorruption.append(states) }
        let before = shown
        shown = states
        guard corruptedAt == nil, tick >= from else { return }
        switch corruption {
        case .wrongAspect:
            let g = Int(random.next() % UInt64(groupCount))
            let others = Self.aspects(of: kinds[g]).filter { $0 != states[g] }
            shown[g] = others[Int(random.next() % UInt64(others.count))]
            corruptedAt = tick
        case .missedChange:
            guard let g = states.indices.first(where: { states[$0] != before[$0] }) else { return }
            shown[g] = before[g]
            corruptedAt = tick
        }
    }

    func readBack(into states: inout [SignalState]) -> Bool {
        states = shown
        return true
    }

    func toggleWatchdog() {
        if corruptedAt != nil { togglesSinceCorruption += 1 }
    }

    var outputCounters: FieldBackendCounters { FieldBackendCounters() }

    private static func aspects(of kind: SignalGroupKind) -> [SignalState] {
        kind == .pedestrian
            ? [.dontWalk, .walk, .flashingDontWalk, .dark]
            : [.red, .redAmber, .green, .amber, .flashingAmber, .dark]
    }
}

/// Mutants in the engine's output path: the commands the controller issues are corrupted between
/// the engine and the lamps, and the engine's in-loop check must hand the fault to the controller in
/// the same tick, so the controller latches fault flash, the watchdog line stops at once, and every
/// later command is flash. No monitor of the test's own is involved.
@Suite struct EngineOutputMutantTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hardware/junctions")

    static func shippedJunctions() throws -> [Junction] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return try names.filter { $0.hasSuffix(".toml") }.sorted().map { name in
            try JunctionConfigLoader().load(path: directory.appendingPathComponent(name).path).junction
        }
    }

    @Test(arguments: CorruptingOutputStageFake.Corruption.allCases)
    func aCorruptedCommandLatchesFlashInTheSameTick(_ corruption: CorruptingOutputStageFake.Corruption) throws {
        let junctions = try Self.shippedJunctions()
        try #require(junctions.count >= 3)
        var seeds = SplitMix64(seed: 13)
        var caught = 0
        for round in 0..<40 {
            let junction = junctions[round % junctions.count]
            let from = Tenths(300 + seeds.next() % 6000)
            let outputs = CorruptingOutputStageFake(
                junction: junction, corruption: corruption, from: from, seed: seeds.next())
            let engine = JunctionEngine(
                junction: junction, inputs: SimulatedJunction(junction: junction, seed: seeds.next()), outputs: outputs)
            var faultTick: Tenths?
            for tick in 1...(from + 3000) {
                engine.tick(tick)
                let fault = engine.board.withLock { $0.status.fault }
                if let fault {
                    faultTick = tick
                    #expect(fault.kind == .readBackMismatch, "\(fault)")
                    #expect(engine.board.withLock { $0.status.mode } == .fault)
                    break
                }
            }
            let at = try #require(outputs.corruptedAt, "\(junction.name): no corruption from tick \(from)")
            #expect(faultTick == at, "\(junction.name): corrupted at \(at), fault at \(String(describing: faultTick))")
            engine.tick(at + 1)
            #expect(outputs.togglesSinceCorruption == 0, "the watchdog line stops in the corrupted tick")
            #expect(outputs.commandedAfterCorruption.allSatisfy { states in states.allSatisfy { $0.isFlash } })
            #expect(!outputs.commandedAfterCorruption.isEmpty)
            if faultTick == at { caught += 1 }
        }
        print("engine output mutant \(corruption): caught in the same tick \(caught) of 40")
    }
}
