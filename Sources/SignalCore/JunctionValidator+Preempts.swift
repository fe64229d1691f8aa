extension JunctionValidator {
    /// Preempt numbers: 1–255, as NTCIP 1202 numbers preempts.
    public static let preemptNumbers: ClosedRange<Int> = 1...255
    /// Min dwell: 1–255 s (NTCIP 1202 `preemptMinimumDwell`).
    public static let preemptMinDwellRange: ClosedRange<Tenths> = 10...2550
    /// Max presence: above the min dwell and at most an hour; a preempt without one would let a
    /// stuck detector hold the junction for ever.
    public static let highestPreemptMaxPresence: Tenths = 36_000

    /// The preempts: numbers, inputs, stages and timings; and that preempt detectors serve no group.
    func checkPreempts(_ junction: Junction, into found: inout [JunctionProblem]) {
        for (index, detector) in junction.detectors.enumerated() where detector.function == .preempt {
            if !detector.groups.isEmpty {
                found.append(
                    .init(
                        kind: .preemptInput, path: [.key("detectors"), .entry(name: detector.name, index: index), .key("groups")],
                        message: "detector \(detector.name) calls a preempt and may serve no group"))
            }
        }
        var firstWithNumber: [Int: Int] = [:]
        for (index, preempt) in junction.preempts.enumerated() {
            let path: [JunctionProblem.PathComponent] = [.key("preempt"), .entry(name: preempt.name, index: index)]
            func report(_ kind: JunctionProblem.Kind, _ key: String, _ message: String) {
                found.append(.init(kind: kind, path: path + [.key(key)], message: "preempt \(preempt.name) \(message)"))
            }
            if !Self.preemptNumbers.contains(preempt.number) {
                report(.preemptNumber, "number", "number \(preempt.number) is outside 1–255")
            } else if let first = firstWithNumber[preempt.number] {
                report(.preemptNumber, "number", "number \(preempt.number) is already preempt \(junction.preempts[first].name)'s")
            } else {
                firstWithNumber[preempt.number] = index
            }
            if !junction.detectors.indices.contains(preempt.input) {
                report(.preemptInput, "input", "input is detector number \(preempt.input + 1), which does not exist")
            } else if junction.detectors[preempt.input].function != .preempt {
                let name = junction.detectors[preempt.input].name
                report(.preemptInput, "input", "input \(name) is not a detector with function \"preempt\"")
            }
            if !junction.stages.indices.contains(preempt.dwellStage) {
                report(.preemptStage, "dwell_stage", "dwell stage number \(preempt.dwellStage + 1) does not exist")
            } else if !junction.stages[preempt.dwellStage].groups.contains(where: {
                junction.groups.indices.contains($0) && junction.groups[$0].kind != .pedestrian
            }) {
                report(.preemptStage, "dwell_stage", "dwell stage has no vehicle group to carry the emergency vehicle")
            }
            if !junction.sequence.contains(preempt.exitStage) || !junction.stages.indices.contains(preempt.exitStage) {
                report(.preemptStage, "exit_stage", "exit stage is not in the sequence, so normal service cannot resume with it")
            }
            if preempt.minGreen < amberFloor || preempt.minGreen > Self.highestGreen {
                report(
                    .preemptTimingOutOfRange, "min_green",
                    "min green \(Self.seconds(preempt.minGreen)) is outside \(Self.seconds(amberFloor))–255.0 s "
                        + "(the amber floor to the longest green)")
            }
            if !Self.preemptMinDwellRange.contains(preempt.minDwell) {
                report(.preemptTimingOutOfRange, "min_dwell", "min dwell \(Self.seconds(preempt.minDwell)) is outside 1.0–255.0 s")
            }
            if preempt.maxPresence <= preempt.minDwell || preempt.maxPresence > Self.highestPreemptMaxPresence {
                report(
                    .preemptTimingOutOfRange, "max_presence",
                    "max presence \(Self.seconds(preempt.maxPresence)) must exceed the min dwell and be at most 3600.0 s")
            }
        }
    }
}
