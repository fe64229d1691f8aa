/// The figures of `junction-bench core` as text: each loop, then the net costs and their ratios.
struct BenchReport {
    var input: Measurement
    var controller: Measurement
    var copy: Measurement
    var monitor: Measurement
    var ticks: Int
    var mode: String
    var monitorFaults: Int
    var checksum: Int

    /// One tick is 100 ms of junction time: the budget the real-time loop has.
    private static let tickBudgetNanoseconds = 100_000_000.0

    var text: String {
        let inputNs = input.best?.nanosecondsPerTick ?? 0
        let controllerNs = controller.best?.nanosecondsPerTick ?? 0
        let copyNs = copy.best?.nanosecondsPerTick ?? 0
        let monitorNs = monitor.best?.nanosecondsPerTick ?? 0
        let stepNet = max(controllerNs - inputNs, 0)
        let monitorNet = max(monitorNs - copyNs, 0)
        var lines: [String] = []
        lines.append("")
        lines.append(pad("loop", 36) + pad("cpu ns/tick", 13, right: true) + pad("wall ns/tick", 14, right: true)
            + pad("allocs/tick", 13, right: true) + pad("allocs", 8, right: true))
        for measurement in [input, controller, copy, monitor] {
            let figures = measurement.best
            lines.append(pad(measurement.name, 36) + pad(fixed(figures?.nanosecondsPerTick ?? 0, 1), 13, right: true)
                + pad(fixed(figures?.wallNanosecondsPerTick ?? 0, 1), 14, right: true)
                + pad(fixed(figures?.allocationsPerTick ?? 0, 4), 13, right: true)
                + pad("\(figures?.allocations ?? 0)", 8, right: true))
        }
        lines.append("")
        lines.append("SignalController.step, net of input:   \(fixed(stepNet, 1)) ns/tick (cpu), "
            + "\(fixed(controller.best?.allocationsPerTick ?? 0, 4)) allocations/tick (goal 0)")
        lines.append("SafetyMonitor.check, net of copy:      \(fixed(monitorNet, 1)) ns/tick (cpu), "
            + "\(fixed(monitor.best?.allocationsPerTick ?? 0, 4)) allocations/tick")
        lines.append("ratio step / monitor:                  \(fixed(monitorNet > 0 ? stepNet / monitorNet : 0, 2))")
        lines.append("ratio (input + step) / input:          \(fixed(inputNs > 0 ? controllerNs / inputNs : 0, 2))")
        lines.append("share of the 100 ms tick used by step: \(fixed(stepNet / Self.tickBudgetNanoseconds * 100, 5)) %")
        lines.append("controller mode at the end: \(mode); monitor faults on replay: \(monitorFaults)")
        lines.append("(checksum \(checksum & 0xFFFF), printed so the baseline loops are not optimised away)")
        return lines.joined(separator: "\n")
    }

    private func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = abs(scaled % Int(scale))
        guard decimals > 0 else { return "\(whole)" }
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
