import ArgumentParser
import CMallocCounter
import JunctionConfig
import SignalCore

/// `junction-bench core`: heap allocations and time per steady-state tick of `SignalController.step`,
/// each beside a baseline measured in the same run.
///
/// Loops, all over the same deterministic detector input:
/// - input: fill the detector snapshot only (the cost every loop carries);
/// - controller: fill, then `step`; its net cost is this minus the input loop;
/// - monitor: replay the lamps the controller showed through a fresh `SafetyMonitor` (copying each
///   tick's lamps into one reused array), minus a loop that only copies them.
struct CoreBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Allocations and nanoseconds per tick of the controller on the 4-arm example junction."
    )

    @Option(help: "Junction file; the built-in copy of the Cirebon example is used if it cannot be read.")
    var junction = BenchJunction.defaultPath

    @Option(help: "Measured ticks per loop (one tick is 0.1 s of junction time).")
    var ticks = 2_000_000

    @Option(help: "Ticks run before measuring, so every interval, call and diagnostic has been through once.")
    var warmupTicks = 36_000

    @Option(help: "Times each loop is repeated; the fastest repetition is reported.")
    var repeats = 3

    @Option(help: "Seed of the detector input.")
    var seed: UInt64 = 1

    mutating func run() throws {
        // A counter that is not interposed would report a reassuring zero: prove it counts first.
        let probe = Measurement.allocations { _ = [Int](repeating: Int(seed), count: 1000 + Int(seed % 7)) }
        guard probe > 0 else { throw ValidationError("the malloc counter saw no allocation; it is not interposed") }
        let (loaded, source) = try BenchJunction.load(junction)
        print("junction: \(loaded.name) (\(source)), \(loaded.groups.count) groups, "
            + "\(loaded.detectors.count) detectors")
        print("ticks: \(ticks) measured per loop after \(warmupTicks) warm-up, best of \(repeats)")

        var input = Measurement(name: "input only (baseline)")
        var controller = Measurement(name: "input + SignalController.step")
        var copy = Measurement(name: "lamp copy only (baseline)")
        var monitor = Measurement(name: "lamp copy + SafetyMonitor.check")
        let recorded = recordLamps(loaded)
        var checksum = 0
        var finalMode = ""
        var monitorFaults = 0
        for _ in 0..<repeats {
            input.keep(measureInput(loaded, checksum: &checksum))
            let run = measureController(loaded)
            controller.keep(run.figures)
            finalMode = run.mode
            copy.keep(measureReplay(loaded, recorded: recorded, check: false, faults: &checksum))
            monitor.keep(measureReplay(loaded, recorded: recorded, check: true, faults: &monitorFaults))
        }
        let report = BenchReport(
            input: input, controller: controller, copy: copy, monitor: monitor, ticks: ticks, mode: finalMode,
            monitorFaults: monitorFaults, checksum: checksum)
        print(report.text)
    }

    /// The lamps of every tick, warm-up included, from one unmeasured run (the controller is
    /// deterministic, so the measured runs show the same).
    private func recordLamps(_ junction: Junction) -> [SignalState] {
        var traffic = BenchTraffic(junction: junction, seed: seed)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        let controller = SignalController(junction: junction)
        let groups = junction.groups.count
        var recorded = [SignalState](repeating: .dark, count: (warmupTicks + ticks) * groups)
        for tick in 1...(warmupTicks + ticks) {
            traffic.fill(&snapshot, tick: tick)
            controller.step(tick: tick, detectors: snapshot)
            let signals = controller.signals
            for g in 0..<groups { recorded[(tick - 1) * groups + g] = signals[g] }
        }
        return recorded
    }

    private func measureInput(_ junction: Junction, checksum: inout Int) -> Measurement.Figures {
        var traffic = BenchTraffic(junction: junction, seed: seed)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        for tick in 1...warmupTicks { traffic.fill(&snapshot, tick: tick) }
        return Measurement.measure(ticks: ticks) {
            for tick in (warmupTicks + 1)...(warmupTicks + ticks) {
                traffic.fill(&snapshot, tick: tick)
                checksum &+= Int(snapshot.actuations[tick % snapshot.count])
            }
        }
    }

    private func measureController(_ junction: Junction) -> (figures: Measurement.Figures, mode: String) {
        var traffic = BenchTraffic(junction: junction, seed: seed)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        let controller = SignalController(junction: junction)
        for tick in 1...warmupTicks {
            traffic.fill(&snapshot, tick: tick)
            controller.step(tick: tick, detectors: snapshot)
        }
        let figures = Measurement.measure(ticks: ticks) {
            for tick in (warmupTicks + 1)...(warmupTicks + ticks) {
                traffic.fill(&snapshot, tick: tick)
                controller.step(tick: tick, detectors: snapshot)
            }
        }
        let status = controller.status
        let mode = status.fault.map { "FAULT: \($0)" } ?? status.mode.name
        return (figures, mode)
    }

    /// Replays the recorded lamps: the warm-up unmeasured, then the measured ticks. Without `check`
    /// it only copies them, and folds them into `faults` so the copy cannot be optimised away.
    private func measureReplay(_ junction: Junction, recorded: [SignalState], check: Bool, faults: inout Int)
        -> Measurement.Figures
    {
        let groups = junction.groups.count
        var monitor = SafetyMonitor(junction: junction)
        var lamps = [SignalState](repeating: .dark, count: groups)
        func show(_ tick: Tenths) {
            for g in 0..<groups { lamps[g] = recorded[(tick - 1) * groups + g] }
            if check {
                if monitor.check(tick: tick, states: lamps) != nil { faults += 1 }
            } else {
                faults &+= Int(lamps[tick % groups].rawValue)
            }
        }
        for tick in 1...warmupTicks { show(tick) }
        return Measurement.measure(ticks: ticks) {
            for tick in (warmupTicks + 1)...(warmupTicks + ticks) { show(tick) }
        }
    }
}
