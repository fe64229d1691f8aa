import SignalCore

/// One generated property case: a valid junction, how it runs, and the seed of its detector traffic.
struct JunctionCase: Sendable, CustomStringConvertible {
    var junction: Junction
    /// A plan selected before the first tick (as a time-of-day schedule would), or nil for actuated control.
    var startPlan: String?
    /// The adaptive strategy on top of actuated control (`.actuated` for none).
    var strategy: AdaptiveSettings.Strategy = .actuated
    var trafficSeed: UInt64

    /// A compact account of the junction, enough to rebuild it by hand from a failure message.
    var description: String {
        var lines: [String] = []
        let j = junction
        lines.append("junction \(j.groups.count) groups, trafficSeed \(trafficSeed), plan \(startPlan ?? "none"), "
            + "strategy \(strategy.rawValue)")
        lines.append("  startup flash \(j.startup.flashTime) all-red \(j.startup.allRedTime)")
        for (g, group) in j.groups.enumerated() {
            let t = group.timing
            lines.append("  [\(g)] \(group.name) \(group.kind.rawValue) min \(t.minGreen) max \(t.maxGreen) "
                + "passage \(t.passage) clearance \(t.clearance) red+amber \(t.redAmber) "
                + "recall \(group.recall.rawValue) memory \(group.memory.rawValue) flash \(group.flash.rawValue)"
                + (group.maxWait.map { " maxWait \($0)" } ?? ""))
        }
        for a in j.groups.indices {
            let row = j.groups.indices.filter { j.conflicts[a][$0] }.map { "\($0):\(j.intergreen[a][$0])" }
            lines.append("  conflicts [\(a)] → \(row.joined(separator: " "))")
        }
        let stages = j.stages.enumerated().map { "\($0.offset)=\($0.element.groups)" }
        lines.append("  stages \(stages.joined(separator: " ")) sequence \(j.sequence)")
        for (d, detector) in j.detectors.enumerated() {
            let limits = detector.diagnostics
            lines.append("  det[\(d)] \(detector.name) groups \(detector.groups) \(detector.function.rawValue) "
                + "\(detector.placement.rawValue) noActivity \(limits.noActivityMinutes)m maxPresence "
                + "\(limits.maxPresenceMinutes)m erratic \(limits.erraticCountsPerMinute)/m "
                + "failed \(detector.failedAction.rawValue)")
        }
        for plan in j.plans {
            lines.append("  plan \(plan.name) cycle \(plan.cycle) offset \(plan.offset) splits \(plan.splits)")
        }
        for p in j.preempts {
            lines.append("  preempt \(p.number) input det[\(p.input)] dwell \(p.dwellStage) exit \(p.exitStage) "
                + "minGreen \(p.minGreen) minDwell \(p.minDwell) maxPresence \(p.maxPresence)")
        }
        return lines.joined(separator: "\n")
    }
}
