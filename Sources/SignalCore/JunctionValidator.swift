/// One thing wrong with a junction: what kind of problem, which field, and a message for a technician.
///
/// Field paths use the vocabulary of the junction file (docs/config.md) so that a loader can point
/// at the line, but nothing here knows about TOML: the same problems come back for a junction built
/// in code.
public struct JunctionProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, so callers and tests tell problems apart without reading messages.
    public enum Kind: String, Sendable, CaseIterable {
        case emptyName
        case duplicateName
        case noGroups
        case noStages
        case matrixShape
        case conflictDiagonal
        case conflictAsymmetric
        case missingIntergreen
        case intergreenTooShort
        case intergreenWithoutConflict
        case amberBelowFloor
        case timingOutOfRange
        case minGreenAboveMax
        case pedestrianRedAmber
        /// A `max_wait` on a group that is green in every stage, so it never waits.
        case maxWaitNeverWaits
        case stageUnknownGroup
        case stageConflict
        case emptyStage
        case groupNeverGreen
        case emptySequence
        case sequenceUnknownStage
        case sequenceRepeatsStage
        case detectorNoGroup
        case detectorUnknownGroup
        case detectorLimitOutOfRange
        case planCycleOutOfRange
        case planSplitCount
        case planSplitSum
        case planOffsetOutOfRange
        case planSplitTooShort
        case startupFlashOutOfRange
        case startupAllRedOutOfRange
        /// A preempt number outside 1–255 or used twice.
        case preemptNumber
        /// A preempt's input is not a detector, or not one with function `preempt`; or a preempt
        /// detector serves groups.
        case preemptInput
        /// A preempt's dwell stage does not exist or has no vehicle group, or its exit stage is not in
        /// the sequence.
        case preemptStage
        /// A preempt's min green, min dwell or max presence is out of range.
        case preemptTimingOutOfRange
    }

    /// One step of a field path.
    public enum PathComponent: Sendable, Equatable {
        /// A table key, such as `startup` or `amber`.
        case key(String)
        /// An entry of a named list (groups, stages, detectors, plans): its name and 0-based position.
        case entry(name: String, index: Int)
        /// A 0-based element of a list of values, such as one split of a plan.
        case element(Int)
    }

    /// What is wrong.
    public var kind: Kind
    /// Where the problem is, outermost first.
    public var path: [PathComponent]
    /// A sentence for a technician, with times in seconds.
    public var message: String

    /// A problem as given; the validator builds them, other checkers (the config loader) may too.
    public init(kind: Kind, path: [PathComponent], message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// The path as text, such as `groups.B1.amber` or `plans.peak.splits[2]`.
    public var field: String { Self.fieldName(of: path) }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }

    /// Renders a path as dotted text; an entry with an empty name shows its position instead.
    public static func fieldName(of path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key):
                text += text.isEmpty ? key : ".\(key)"
            case .entry(let name, let index):
                let shown = name.isEmpty ? "#\(index + 1)" : name
                text += text.isEmpty ? shown : ".\(shown)"
            case .element(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

/// Checks a `Junction` for everything that would make it unsafe or unservable.
///
/// The validator is pure and total: it never traps on a malformed junction (ragged matrices,
/// indices out of range) but reports them, and it returns every problem it finds, in a stable
/// order. An empty result means the controller and the safety monitor may run the junction.
public struct JunctionValidator: Sendable {
    /// The lowest amber any configuration may ask for: the 2.7 s that NEMA TS2 monitors enforce.
    public static let lowestAmberFloor: Tenths = 27
    /// The amber floor used unless a junction file sets its own: 3.0 s.
    public static let defaultAmberFloor: Tenths = 30
    /// Amber above this is taken for a mistake (tenths written as seconds); ITE's usual range ends at 6 s.
    public static let highestAmber: Tenths = 100
    /// Longest min or max green and walk: 255 s, the NTCIP 1202 range.
    public static let highestGreen: Tenths = 2550
    /// Longest passage: 25.5 s, the NTCIP 1202 range.
    public static let highestPassage: Tenths = 255
    /// Longest red+amber: 2 s is PM 49/2014 practice; 3 s leaves room without inviting a typo.
    public static let highestRedAmber: Tenths = 30
    /// `max_wait` must lie within 10–600 s: shorter than a green and its intergreen it would force
    /// every change; longer than ten minutes it bounds nothing a cycle does not.
    public static let maxWaitRange: ClosedRange<Tenths> = 100...6000
    /// Startup flash must last 3–120 s: long enough to be seen, short enough not to strand the junction.
    public static let startupFlashRange: ClosedRange<Tenths> = 30...1200
    /// Startup all-red must last 2–30 s.
    public static let startupAllRedRange: ClosedRange<Tenths> = 20...300
    /// A fixed-time cycle must last at most 300 s.
    public static let highestCycle: Tenths = 3000
    /// An intergreen must last at most 300 s, a whole cycle: room for the longest pedestrian
    /// clearance (255 s) and red+amber, while a typo (`4800` for `4.8`) no longer holds the junction
    /// all-red for hours, past any reload.
    public static let highestIntergreen: Tenths = 3000

    /// The amber floor applied to vehicle and turn-arrow groups; never below `lowestAmberFloor`.
    public let amberFloor: Tenths

    /// A floor below `lowestAmberFloor` is raised to it: no configuration can weaken the monitor's minimum.
    public init(amberFloor: Tenths = JunctionValidator.defaultAmberFloor) {
        self.amberFloor = max(amberFloor, Self.lowestAmberFloor)
    }

    /// Every problem in `junction`; empty when it is safe to run.
    public func problems(in junction: Junction) -> [JunctionProblem] {
        var found: [JunctionProblem] = []
        checkNames(junction, into: &found)
        for index in junction.groups.indices {
            checkTiming(of: index, in: junction, into: &found)
        }
        let matricesUsable = checkMatrixShape(junction, into: &found)
        if matricesUsable {
            checkConflicts(junction, into: &found)
            checkIntergreens(junction, into: &found)
        }
        checkStages(junction, matricesUsable: matricesUsable, into: &found)
        let sequenceUsable = checkSequence(junction, into: &found)
        checkReachability(junction, into: &found)
        checkDetectors(junction, into: &found)
        checkPlans(junction, sequenceUsable: sequenceUsable && matricesUsable, into: &found)
        checkStartup(junction.startup, into: &found)
        checkPreempts(junction, into: &found)
        return found
    }

    /// The least time from the end of stage `from`'s greens to the start of stage `to`'s greens:
    /// the largest intergreen from a leaving group to a conflicting entering group, and at least
    /// the red+amber of every entering group. Groups that stay green across the change do not count.
    /// Indices out of range count as nothing, so the result is always defined.
    public static func interstage(in junction: Junction, from: Int, to: Int) -> Tenths {
        guard junction.stages.indices.contains(from), junction.stages.indices.contains(to) else { return 0 }
        let groupRange = junction.groups.indices
        let leaving = junction.stages[from].groups.filter { groupRange.contains($0) }
        let staying = Set(leaving)
        let entering = junction.stages[to].groups.filter { groupRange.contains($0) && !staying.contains($0) }
        let continuing = Set(junction.stages[to].groups)
        var longest: Tenths = 0
        for b in entering {
            longest = max(longest, junction.groups[b].timing.redAmber)
            for a in leaving where !continuing.contains(a) && junction.conflicts[safe: a]?[safe: b] == true {
                longest = max(longest, junction.intergreen[safe: a]?[safe: b] ?? 0)
            }
        }
        return longest
    }

    /// The longest actuated cycle: every stage of the sequence held to its longest max green, plus
    /// the interstage that follows it. Pedestrian groups count their walk.
    public static func longestActuatedCycle(of junction: Junction) -> Tenths {
        let sequence = junction.sequence.filter { junction.stages.indices.contains($0) }
        var total: Tenths = 0
        for (position, stage) in sequence.enumerated() {
            let greens = junction.stages[stage].groups.compactMap { junction.groups[safe: $0]?.timing }
            total += greens.map { max($0.maxGreen, $0.minGreen) }.max() ?? 0
            total += interstage(in: junction, from: stage, to: sequence[(position + 1) % sequence.count])
        }
        return total
    }

    // MARK: - Names

    private func checkNames(_ junction: Junction, into found: inout [JunctionProblem]) {
        if junction.groups.isEmpty {
            found.append(.init(kind: .noGroups, path: [.key("groups")], message: "the junction has no signal groups"))
        }
        if junction.stages.isEmpty {
            found.append(.init(kind: .noStages, path: [.key("stages")], message: "the junction has no stages"))
        }
        checkNames(junction.groups.map(\.name), list: "groups", noun: "group", into: &found)
        checkNames(junction.stages.map(\.name), list: "stages", noun: "stage", into: &found)
        checkNames(junction.detectors.map(\.name), list: "detectors", noun: "detector", into: &found)
        checkNames(junction.plans.map(\.name), list: "plans", noun: "plan", into: &found)
    }

    private func checkNames(_ names: [String], list: String, noun: String, into found: inout [JunctionProblem]) {
        var firstIndex: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let path: [JunctionProblem.PathComponent] = [.key(list), .entry(name: name, index: index)]
            if name.isEmpty {
                found.append(.init(kind: .emptyName, path: path, message: "\(noun) \(index + 1) has an empty name"))
            } else if let first = firstIndex[name] {
                found.append(
                    .init(
                        kind: .duplicateName, path: path,
                        message: "\(noun) name \"\(name)\" is used twice (\(noun) \(first + 1) and \(index + 1))"))
            } else {
                firstIndex[name] = index
            }
        }
    }

    // MARK: - Group timings

    private func checkTiming(of index: Int, in junction: Junction, into found: inout [JunctionProblem]) {
        let group = junction.groups[index]
        let timing = group.timing
        let isPedestrian = group.kind == .pedestrian
        func report(_ kind: JunctionProblem.Kind, _ key: String, _ message: String) {
            found.append(
                .init(
                    kind: kind, path: [.key("groups"), .entry(name: group.name, index: index), .key(key)],
                    message: message))
        }
        let greenKey = isPedestrian ? "walk" : "min_green"
        let clearanceKey = isPedestrian ? "clearance" : "amber"
        if let maxWait = group.maxWait {
            if !Self.maxWaitRange.contains(maxWait) {
                report(.timingOutOfRange, "max_wait", "max_wait \(seconds(maxWait)) is outside 10.0–600.0 s")
            } else if !isPedestrian && !junction.sequence.isEmpty
                && junction.sequence.allSatisfy({ junction.stages.indices.contains($0)
                    && junction.stages[$0].groups.contains(index) })
            {
                report(
                    .maxWaitNeverWaits, "max_wait",
                    "group \(group.name) is green in every stage, so it never waits; remove max_wait")
            }
        }
        if timing.minGreen < 10 || timing.minGreen > Self.highestGreen {
            report(.timingOutOfRange, greenKey, "\(greenKey) \(seconds(timing.minGreen)) is outside 1.0–255.0 s")
        }
        if isPedestrian {
            // The flashing don't walk is not an amber, so the vehicle floor does not apply; it must
            // still exist, or walkers are released into a crossing that is about to open to traffic.
            if timing.clearance < 10 || timing.clearance > Self.highestGreen {
                report(
                    .timingOutOfRange, clearanceKey,
                    "pedestrian clearance \(seconds(timing.clearance)) is outside 1.0–255.0 s")
            }
            if timing.redAmber != 0 {
                report(
                    .pedestrianRedAmber, "red_amber",
                    "red+amber is a vehicle aspect; pedestrian group \(group.name) cannot show it")
            }
            return
        }
        if timing.clearance < amberFloor {
            report(
                .amberBelowFloor, clearanceKey,
                "amber \(seconds(timing.clearance)) is below the \(seconds(amberFloor)) floor")
        } else if timing.clearance > Self.highestAmber {
            report(
                .timingOutOfRange, clearanceKey,
                "amber \(seconds(timing.clearance)) is above \(seconds(Self.highestAmber)); was it written in tenths?")
        }
        if timing.maxGreen > Self.highestGreen {
            report(.timingOutOfRange, "max_green", "max_green \(seconds(timing.maxGreen)) is above 255.0 s")
        }
        if timing.minGreen > timing.maxGreen {
            report(
                .minGreenAboveMax, "min_green",
                "min_green \(seconds(timing.minGreen)) is longer than max_green \(seconds(timing.maxGreen))")
        }
        if timing.passage < 0 || timing.passage > Self.highestPassage {
            report(.timingOutOfRange, "passage", "passage \(seconds(timing.passage)) is outside 0.0–25.5 s")
        }
        if timing.redAmber < 0 || timing.redAmber > Self.highestRedAmber {
            report(.timingOutOfRange, "red_amber", "red_amber \(seconds(timing.redAmber)) is outside 0.0–3.0 s")
        }
    }

    // MARK: - Matrices

    /// Reports ragged or wrongly sized matrices; the other matrix checks only run when this passes.
    private func checkMatrixShape(_ junction: Junction, into found: inout [JunctionProblem]) -> Bool {
        let count = junction.groups.count
        var usable = true
        for (key, rows) in [
            ("conflicts", junction.conflicts.map(\.count)), ("intergreen", junction.intergreen.map(\.count)),
        ]
        where rows.count != count || rows.contains(where: { $0 != count }) {
            usable = false
            found.append(
                .init(
                    kind: .matrixShape, path: [.key(key)],
                    message: "the \(key) matrix must be \(count)×\(count), one row and column per group"))
        }
        return usable
    }

    private func checkConflicts(_ junction: Junction, into found: inout [JunctionProblem]) {
        let groups = junction.groups
        for a in groups.indices {
            if junction.conflicts[a][a] {
                found.append(
                    .init(
                        kind: .conflictDiagonal, path: [.key("conflicts"), .key(groups[a].name)],
                        message: "group \(groups[a].name) is listed as conflicting with itself"))
            }
            for b in groups.indices where b > a && junction.conflicts[a][b] != junction.conflicts[b][a] {
                let (lister, missing) = junction.conflicts[a][b] ? (a, b) : (b, a)
                found.append(
                    .init(
                        kind: .conflictAsymmetric, path: [.key("conflicts"), .key(groups[missing].name)],
                        message: "\(groups[lister].name) lists \(groups[missing].name) as conflicting, "
                            + "but \(groups[missing].name) does not list \(groups[lister].name)"))
            }
        }
    }

    private func checkIntergreens(_ junction: Junction, into found: inout [JunctionProblem]) {
        let groups = junction.groups
        for a in groups.indices {
            for b in groups.indices {
                let value = junction.intergreen[a][b]
                let path: [JunctionProblem.PathComponent] = [
                    .key("intergreen"), .key(groups[a].name), .key(groups[b].name),
                ]
                let pair = "\(groups[a].name)→\(groups[b].name)"
                // A group set to conflict with itself is already reported; asking for its
                // intergreen as well would only echo that.
                guard a != b else {
                    if value != 0 {
                        found.append(
                            .init(
                                kind: .intergreenWithoutConflict, path: path,
                                message: "intergreen \(pair) must be 0: a group does not clear to itself"))
                    }
                    continue
                }
                guard junction.conflicts[a][b] else {
                    if value != 0 {
                        found.append(
                            .init(
                                kind: .intergreenWithoutConflict, path: path,
                                message: "intergreen \(pair) is set but the groups do not conflict"))
                    }
                    continue
                }
                // Red+amber counts as open, so the entering group's red+amber may only start once the
                // leaving group's clearance is over: the intergreen must hold both.
                let clearance = groups[a].timing.clearance
                let redAmber = groups[b].timing.redAmber
                if value == 0 {
                    // 0 is how a matrix (and the loader, for a pair the file leaves out) says "none".
                    found.append(
                        .init(
                            kind: .missingIntergreen, path: path,
                            message:
                                "groups \(groups[a].name) and \(groups[b].name) conflict "
                                + "but intergreen \(pair) is not set; it must be "
                                + Self.leastIntergreen(from: groups[a], to: groups[b])
                        ))
                } else if value < 0 {
                    found.append(
                        .init(
                            kind: .intergreenTooShort, path: path,
                            message: Self.nonPositiveIntergreen(value, from: groups[a], to: groups[b])))
                } else if value > Self.highestIntergreen {
                    found.append(
                        .init(
                            kind: .timingOutOfRange, path: path,
                            message:
                                "intergreen \(pair) \(seconds(value)) is above \(seconds(Self.highestIntergreen)), a whole "
                                + "cycle; was it written in tenths?"))
                } else if value < clearance + redAmber {
                    found.append(
                        .init(
                            kind: .intergreenTooShort, path: path,
                            message:
                                "intergreen \(pair) \(seconds(value)) is shorter than \(groups[a].name)'s clearance "
                                + "\(seconds(clearance)) plus \(groups[b].name)'s red+amber \(seconds(redAmber))"))
                }
            }
        }
    }

    // MARK: - Stages and sequence

    private func checkStages(_ junction: Junction, matricesUsable: Bool, into found: inout [JunctionProblem]) {
        for (index, stage) in junction.stages.enumerated() {
            let path: [JunctionProblem.PathComponent] = [.key("stages"), .entry(name: stage.name, index: index)]
            if stage.groups.isEmpty {
                found.append(
                    .init(
                        kind: .emptyStage, path: path + [.key("groups")], message: "stage \(stage.name) has no groups"))
            }
            let known = stage.groups.filter { junction.groups.indices.contains($0) }
            for unknown in stage.groups where !junction.groups.indices.contains(unknown) {
                found.append(
                    .init(
                        kind: .stageUnknownGroup, path: path + [.key("groups")],
                        message: "stage \(stage.name) names group number \(unknown + 1), which does not exist"))
            }
            guard matricesUsable else { continue }
            for (position, a) in known.enumerated() {
                for b in known[(position + 1)...] where junction.conflicts[a][b] || junction.conflicts[b][a] {
                    found.append(
                        .init(
                            kind: .stageConflict, path: path,
                            message: "stage \(stage.name) holds conflicting groups "
                                + "\(junction.groups[a].name) and \(junction.groups[b].name)"))
                }
            }
        }
    }

    /// Reports an empty sequence and unknown stages; true when every entry names a stage.
    private func checkSequence(_ junction: Junction, into found: inout [JunctionProblem]) -> Bool {
        let path: [JunctionProblem.PathComponent] = [.key("junction"), .key("sequence")]
        guard !junction.sequence.isEmpty else {
            found.append(.init(kind: .emptySequence, path: path, message: "the stage sequence is empty"))
            return false
        }
        var usable = true
        for (position, stage) in junction.sequence.enumerated() where !junction.stages.indices.contains(stage) {
            usable = false
            found.append(
                .init(
                    kind: .sequenceUnknownStage, path: path + [.element(position)],
                    message: "the sequence names stage number \(stage + 1), which does not exist"))
        }
        guard usable, junction.sequence.count > 1 else { return usable }
        for (position, stage) in junction.sequence.enumerated()
        where junction.sequence[(position + 1) % junction.sequence.count] == stage {
            found.append(
                .init(
                    kind: .sequenceRepeatsStage, path: path + [.element(position)],
                    message: "stage \(junction.stages[stage].name) follows itself in the sequence"))
        }
        return usable
    }

    private func checkReachability(_ junction: Junction, into found: inout [JunctionProblem]) {
        let sequenced = Set(junction.sequence)
        var inAnyStage = Set<Int>()
        var inSequencedStage = Set<Int>()
        for (index, stage) in junction.stages.enumerated() {
            inAnyStage.formUnion(stage.groups)
            if sequenced.contains(index) { inSequencedStage.formUnion(stage.groups) }
        }
        for (index, group) in junction.groups.enumerated() where !inSequencedStage.contains(index) {
            let why =
                inAnyStage.contains(index)
                ? "its stages are not in the sequence" : "it is in no stage"
            found.append(
                .init(
                    kind: .groupNeverGreen, path: [.key("groups"), .entry(name: group.name, index: index)],
                    message: "group \(group.name) can never get green: \(why)"))
        }
    }

    // MARK: - Detectors

    private func checkDetectors(_ junction: Junction, into found: inout [JunctionProblem]) {
        for (index, detector) in junction.detectors.enumerated() {
            let path: [JunctionProblem.PathComponent] = [.key("detectors"), .entry(name: detector.name, index: index)]
            if detector.groups.isEmpty && detector.function != .preempt {
                found.append(
                    .init(
                        kind: .detectorNoGroup, path: path + [.key("groups")],
                        message: "detector \(detector.name) serves no group"))
            }
            for group in detector.groups where !junction.groups.indices.contains(group) {
                found.append(
                    .init(
                        kind: .detectorUnknownGroup, path: path + [.key("groups")],
                        message: "detector \(detector.name) names group number \(group + 1), which does not exist"))
            }
            let limits = detector.diagnostics
            for (key, value) in [
                ("no_activity_minutes", limits.noActivityMinutes), ("max_presence_minutes", limits.maxPresenceMinutes),
                ("erratic_per_minute", limits.erraticCountsPerMinute),
            ] where value < 0 || value > 1440 {
                found.append(
                    .init(
                        kind: .detectorLimitOutOfRange, path: path + [.key(key)],
                        message: "\(key) \(value) is outside 0–1440 (0 disables the check)"))
            }
        }
    }

    // MARK: - Plans

    private func checkPlans(_ junction: Junction, sequenceUsable: Bool, into found: inout [JunctionProblem]) {
        let sequence = junction.sequence
        for (index, plan) in junction.plans.enumerated() {
            let path: [JunctionProblem.PathComponent] = [.key("plans"), .entry(name: plan.name, index: index)]
            guard plan.cycle > 0, plan.cycle <= Self.highestCycle else {
                found.append(
                    .init(
                        kind: .planCycleOutOfRange, path: path + [.key("cycle")],
                        message: "plan \(plan.name) cycle \(seconds(plan.cycle)) is outside 0.1–300.0 s"))
                continue
            }
            if plan.offset < 0 || plan.offset >= plan.cycle {
                found.append(
                    .init(
                        kind: .planOffsetOutOfRange, path: path + [.key("offset")],
                        message: "plan \(plan.name) offset \(seconds(plan.offset)) is outside the cycle "
                            + "(0.0 to below \(seconds(plan.cycle)))"))
            }
            guard plan.splits.count == sequence.count else {
                found.append(
                    .init(
                        kind: .planSplitCount, path: path + [.key("splits")],
                        message: "plan \(plan.name) has \(plan.splits.count) splits but the sequence has "
                            + "\(sequence.count) stages"))
                continue
            }
            let total = plan.splits.reduce(0, +)
            if total != plan.cycle {
                found.append(
                    .init(
                        kind: .planSplitSum, path: path + [.key("splits")],
                        message:
                            "plan \(plan.name) splits add up to \(seconds(total)), not the cycle \(seconds(plan.cycle))"
                    ))
            }
            guard sequenceUsable else { continue }
            for (position, split) in plan.splits.enumerated() {
                let stage = sequence[position]
                let next = sequence[(position + 1) % sequence.count]
                let minimum =
                    junction.stages[stage].groups.compactMap { junction.groups[safe: $0]?.timing.minGreen }.max() ?? 0
                let interstage = Self.interstage(in: junction, from: stage, to: next)
                if split < minimum + interstage {
                    found.append(
                        .init(
                            kind: .planSplitTooShort, path: path + [.key("splits"), .element(position)],
                            message:
                                "plan \(plan.name) split \(seconds(split)) for stage \(junction.stages[stage].name) "
                                + "is shorter than its min green \(seconds(minimum)) plus the interstage "
                                + "\(seconds(interstage)) that follows"))
                }
            }
        }
    }

    // MARK: - Startup

    private func checkStartup(_ startup: StartupTiming, into found: inout [JunctionProblem]) {
        if !Self.startupFlashRange.contains(startup.flashTime) {
            found.append(
                .init(
                    kind: .startupFlashOutOfRange, path: [.key("startup"), .key("flash")],
                    message: "startup flash \(seconds(startup.flashTime)) is outside 3.0–120.0 s"))
        }
        // The startup all-red may be shorter than the largest intergreen: an intergreen protects the
        // end of a green, and no group was green before startup (flash shows no right of way), so only
        // a red clearance is needed here, and ITE red clearances stay within a few seconds.
        if !Self.startupAllRedRange.contains(startup.allRedTime) {
            found.append(
                .init(
                    kind: .startupAllRedOutOfRange, path: [.key("startup"), .key("all_red")],
                    message: "startup all-red \(seconds(startup.allRedTime)) is outside 2.0–30.0 s"))
        }
    }

    private func seconds(_ tenths: Tenths) -> String { Self.seconds(tenths) }

    /// The message for an intergreen `value` of zero or less given between conflicting groups
    /// `leaving` and `entering`: what it is and the least it must be, such as `intergreen A→B is
    /// 0.0 s; conflicting groups need a positive intergreen of at least 4.5 s: …`.
    public static func nonPositiveIntergreen(_ value: Tenths, from leaving: SignalGroup, to entering: SignalGroup)
        -> String
    {
        "intergreen \(leaving.name)→\(entering.name) is \(seconds(value)); conflicting groups need a positive "
            + "intergreen of " + leastIntergreen(from: leaving, to: entering)
    }

    /// The least intergreen from `leaving` to `entering`, with why, for messages: `at least 4.5 s:
    /// A's clearance 3.0 s plus B's red+amber 1.5 s`.
    private static func leastIntergreen(from leaving: SignalGroup, to entering: SignalGroup) -> String {
        let clearance = leaving.timing.clearance
        let redAmber = entering.timing.redAmber
        return "at least \(seconds(clearance + redAmber)): \(leaving.name)'s clearance \(seconds(clearance)) "
            + "plus \(entering.name)'s red+amber \(seconds(redAmber))"
    }

    /// Tenths as seconds with one decimal, such as `3.0 s` or `-0.5 s`, for messages.
    public static func seconds(_ tenths: Tenths) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return "\(sign)\(magnitude / 10).\(magnitude % 10) s"
    }
}

extension Array {
    /// The element at `index`, or nil when the index is out of range.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
