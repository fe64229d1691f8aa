import SignalCore

/// What a run of `JunctionGenerator` produced, so a test can show that every feature it promises
/// (kinds, recalls, memories, overlaps, plans, detector settings) actually appears.
final class GeneratorCoverage {
    private var features: Set<String> = []

    private static let expected: Set<String> = {
        var names: Set<String> = ["mixed kinds", "overlapping stages", "plan", "plan selected at start", "two groups",
                                  "ten groups", "shared loop", "red+amber 0", "diagnostics off", "diagnostics on",
                                  "ring-barrier", "ring-barrier without every left turn"]
        for kind in SignalGroupKind.allCases { names.insert("kind \(kind.rawValue)") }
        for recall in RecallMode.allCases { names.insert("recall \(recall.rawValue)") }
        for memory in CallMemory.allCases { names.insert("memory \(memory.rawValue)") }
        for function in DetectorFunction.allCases { names.insert("function \(function.rawValue)") }
        for action in FailedDetectorAction.allCases { names.insert("failed \(action.rawValue)") }
        for strategy in AdaptiveSettings.Strategy.allCases { names.insert("strategy \(strategy.rawValue)") }
        return names
    }()

    var missing: Set<String> { Self.expected.subtracting(features) }

    func add(_ generated: JunctionCase) {
        let junction = generated.junction
        features.insert("strategy \(generated.strategy.rawValue)")
        let kinds = Set(junction.groups.map(\.kind))
        if kinds.count == 3 { features.insert("mixed kinds") }
        for kind in kinds { features.insert("kind \(kind.rawValue)") }
        for group in junction.groups {
            features.insert("recall \(group.recall.rawValue)")
            features.insert("memory \(group.memory.rawValue)")
            if group.kind != .pedestrian && group.timing.redAmber == 0 { features.insert("red+amber 0") }
        }
        if junction.name == "ring-barrier" {
            features.insert("ring-barrier")
            if junction.groups.count < 8 { features.insert("ring-barrier without every left turn") }
        }
        if junction.groups.count == 2 { features.insert("two groups") }
        if junction.groups.count == 10 { features.insert("ten groups") }
        let memberships = junction.stages.reduce(0) { $0 + $1.groups.count }
        if memberships > junction.groups.count { features.insert("overlapping stages") }
        if !junction.plans.isEmpty { features.insert("plan") }
        if generated.startPlan != nil { features.insert("plan selected at start") }
        for detector in junction.detectors {
            features.insert("function \(detector.function.rawValue)")
            features.insert("failed \(detector.failedAction.rawValue)")
            if detector.groups.count > 1 { features.insert("shared loop") }
            let limits = detector.diagnostics
            let on = limits.noActivityMinutes > 0 || limits.maxPresenceMinutes > 0 || limits.erraticCountsPerMinute > 0
            features.insert(on ? "diagnostics on" : "diagnostics off")
        }
    }
}
