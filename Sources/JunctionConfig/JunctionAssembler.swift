import SignalCore

/// Turns a draft into a `Junction`: resolves group and stage names into indices (or compiles the
/// `[nema]` layout), and reports every name used twice and every name that refers to nothing.
struct JunctionAssembler {
    let draft: ConfigDraft
    let log: ProblemLog

    /// The junction, or nil when the draft cannot make one (the reasons are in `log`).
    func assemble() -> Junction? {
        let layoutIsValid = checkLayout()
        // A list over its limit was not read, so every reference into it would be reported as
        // naming nothing: the limit, reported once when the list was read, stands alone.
        guard checkUniqueNames(), layoutIsValid, draft.overLimit.isEmpty else { return nil }
        var junction: Junction
        if let nema = draft.nema {
            guard let compiled = compile(nema) else { return nil }
            junction = compiled
        } else {
            junction = assembleGroups()
        }
        junction.name = draft.name
        junction.startup = draft.startup
        junction.plans = draft.plans
        junction.detectors = resolveDetectors(groups: junction.groups)
        junction.preempts = resolvePreempts(in: junction)
        return junction
    }

    /// Where a validator problem lives in the file. For a `[nema]` layout, problems of the compiled
    /// groups are moved to the `[[nema.phases]]` entry they came from, and those of a compiled
    /// intergreen (the leaving phase's amber plus its red clearance) to that phase's `red_clearance`.
    func filePath(of path: [JunctionProblem.PathComponent]) -> [JunctionProblem.PathComponent] {
        guard let nema = draft.nema, path.count >= 2 else { return path }
        if path[0] == .key("groups"), case .entry(let name, let index) = path[1] {
            let numbers = (nema.description.ring1 + nema.description.ring2).sorted()
            guard numbers.indices.contains(index), let entry = nema.entryOfPhase[numbers[index]] else { return path }
            return [.key("nema"), .key("phases"), .entry(name: name, index: entry)] + path.dropFirst(2)
        }
        if path[0] == .key("intergreen"), case .key(let leaving) = path[1],
            let phase = nema.description.phases.first(where: { $0.name == leaving }),
            let entry = nema.entryOfPhase[phase.number]
        {
            return [.key("nema"), .key("phases"), .entry(name: leaving, index: entry), .key("red_clearance")]
        }
        return path
    }

    // MARK: - Layout

    private func checkLayout() -> Bool {
        guard draft.nema != nil else {
            if !draft.sections.contains(.groups) {
                log.report(.missingKey, [.key("groups")], "the file needs [[groups]] entries or a [nema] layout")
                return false
            }
            return true
        }
        var valid = true
        for section in [ConfigSection.groups, .conflicts, .intergreen, .stages] where draft.sections.contains(section) {
            valid = false
            log.report(
                .layout, [.key(section.rawValue)],
                "[nema] compiles groups, conflicts, intergreen and stages; remove \(section.rawValue)")
        }
        if draft.sequence != nil {
            valid = false
            log.report(
                .layout, [.key("junction"), .key("sequence")],
                "[nema] compiles the stage sequence from the rings; remove junction.sequence")
        }
        return valid
    }

    // MARK: - Signal-group layout

    private func assembleGroups() -> Junction {
        let groupIndex = firstIndices(draft.groups.map(\.name))
        let count = draft.groups.count
        var conflicts = Array(repeating: Array(repeating: false, count: count), count: count)
        var intergreen = Array(repeating: Array(repeating: Tenths(0), count: count), count: count)
        for row in draft.conflicts {
            let path: [JunctionProblem.PathComponent] = [.key("conflicts"), .key(row.group)]
            guard let a = groupIndex[row.group] else {
                log.report(.unknownName, path, "\"\(row.group)\" is not a group")
                continue
            }
            for other in row.others {
                guard let b = groupIndex[other] else {
                    log.report(.unknownName, path, "\(row.group) lists \"\(other)\", which is not a group")
                    continue
                }
                conflicts[a][b] = true
            }
        }
        for entry in draft.intergreens {
            let path: [JunctionProblem.PathComponent] = [.key("intergreen"), .key(entry.from), .key(entry.to)]
            guard let a = groupIndex[entry.from], let b = groupIndex[entry.to] else {
                let unknown = groupIndex[entry.from] == nil ? entry.from : entry.to
                log.report(.unknownName, path, "\"\(unknown)\" is not a group")
                continue
            }
            // The matrix holds 0 for a pair the file leaves out, so the validator cannot tell a
            // written 0 from none: a written value of 0 or less is judged here, where it is known.
            guard entry.value > 0 else {
                if a != b && (conflicts[a][b] || conflicts[b][a]) {
                    log.report(
                        .junction(.intergreenTooShort), path,
                        JunctionValidator.nonPositiveIntergreen(entry.value, from: draft.groups[a], to: draft.groups[b]))
                } else {
                    let why = a == b ? "a group does not clear to itself" : "the groups do not conflict"
                    log.report(
                        .junction(.intergreenWithoutConflict), path,
                        "intergreen \(entry.from)→\(entry.to) is given (\(JunctionValidator.seconds(entry.value))) "
                            + "but \(why); remove it")
                }
                continue
            }
            intergreen[a][b] = entry.value
        }
        var stages: [Stage] = []
        for (index, entry) in draft.stages.enumerated() {
            let path: [JunctionProblem.PathComponent] = [
                .key("stages"), .entry(name: entry.name, index: index), .key("groups"),
            ]
            stages.append(
                Stage(name: entry.name, groups: resolve(entry.groups, in: groupIndex, at: path, noun: "group")))
        }
        var sequence = Array(stages.indices)
        if let names = draft.sequence {
            let stageIndex = firstIndices(stages.map(\.name))
            sequence = []
            for (position, name) in names.enumerated() {
                guard let stage = stageIndex[name] else {
                    log.report(
                        .unknownName, [.key("junction"), .key("sequence"), .element(position)],
                        "\"\(name)\" is not a stage")
                    continue
                }
                sequence.append(stage)
            }
        }
        return Junction(
            name: draft.name, groups: draft.groups, conflicts: conflicts, intergreen: intergreen,
            stages: stages, sequence: sequence)
    }

    // MARK: - Ring-barrier layout

    private func compile(_ nema: ConfigDraft.Nema) -> Junction? {
        let problems = nema.description.problems()
        for problem in problems {
            log.report(.ringBarrier(problem), path(of: problem, in: nema), problem.description)
        }
        guard problems.isEmpty else { return nil }
        return try? nema.description.compile()
    }

    private func path(of problem: RingBarrierError, in nema: ConfigDraft.Nema) -> [JunctionProblem.PathComponent] {
        let base: [JunctionProblem.PathComponent] = [.key("nema")]
        func phase(_ number: Int, key: String, last: Bool = false) -> [JunctionProblem.PathComponent] {
            let entries = nema.description.phases.indices.filter { nema.description.phases[$0].number == number }
            guard let entry = last ? entries.last : entries.first else { return base + [.key("phases")] }
            return base + [.key("phases"), .entry(name: nema.description.phases[entry].name, index: entry), .key(key)]
        }
        func ring(_ number: Int) -> [JunctionProblem.PathComponent] { base + [.key("ring\(number)")] }
        func ringHolding(_ number: Int) -> Int { nema.description.ring1.contains(number) ? 1 : 2 }
        switch problem {
        case .noPhases: return ring(1)
        case .invalidPhase(let number, .phases): return phase(number, key: "number")
        case .invalidPhase(_, .ring(let which)): return ring(which)
        case .invalidPhase(_, .barrier(let which)): return base + [.key("barriers"), .element(which - 1)]
        case .duplicatePhase(let number): return phase(number, key: "number", last: true)
        case .repeatedInRing(_, let which): return ring(which)
        case .phaseInBothRings: return ring(2)
        case .missingTiming(let number): return ring(ringHolding(number))
        case .redClearanceOutOfRange(let number): return phase(number, key: "red_clearance")
        case .phaseNeverServed(let number): return phase(number, key: "number")
        case .phaseInNoBarrier, .phaseInSeveralBarriers: return base + [.key("barriers")]
        case .emptyBarrier(let which): return base + [.key("barriers"), .element(which - 1)]
        case .barrierSplitsRing(let which, _): return ring(which)
        }
    }

    // MARK: - Names

    /// Reports every group, stage, detector and plan name used a second time, with the
    /// lines of both uses. Names are resolved by their first use, so after a duplicate every
    /// reference would resolve wrongly or (when the duplicate replaced another name) to nothing:
    /// the duplicate is reported alone, rather than under a dozen "is not a group" echoes. (Phase
    /// names of a `[nema]` layout are checked by the validator: nothing refers to them before.)
    private func checkUniqueNames() -> Bool {
        let lists: [(path: [JunctionProblem.PathComponent], noun: String, names: [String])] = [
            ([.key("groups")], "group", draft.groups.map(\.name)),
            ([.key("stages")], "stage", draft.stages.map(\.name)),
            ([.key("detectors")], "detector", draft.detectors.map(\.detector.name)),
            ([.key("plans")], "plan", draft.plans.map(\.name)),
            ([.key("preempt")], "preempt", draft.preempts.map(\.preempt.name)),
        ]
        var unique = true
        for (path, noun, names) in lists {
            var firstUse: [String: Int] = [:]
            for (index, name) in names.enumerated() where !name.isEmpty {
                guard let first = firstUse[name] else {
                    firstUse[name] = index
                    continue
                }
                unique = false
                let places = [first, index].map { entry in
                    log.line(of: path + [.entry(name: name, index: entry), .key("name")]).map { "line \($0)" }
                        ?? "entry \(entry + 1)"
                }
                log.report(
                    .junction(.duplicateName), path + [.entry(name: name, index: index)],
                    "\(noun) name \"\(name)\" is used twice (\(places[0]) and \(places[1])); names must be unique")
            }
        }
        return unique
    }

    private func resolveDetectors(groups: [SignalGroup]) -> [Detector] {
        let groupIndex = firstIndices(groups.map(\.name))
        return draft.detectors.enumerated().map { index, entry in
            var detector = entry.detector
            let path: [JunctionProblem.PathComponent] = [
                .key("detectors"), .entry(name: detector.name, index: index), .key("groups"),
            ]
            detector.groups = resolve(entry.groups, in: groupIndex, at: path, noun: "group")
            return detector
        }
    }

    /// The preempts with their input and stages resolved; an unknown name is reported once, under
    /// its key, and its preempt left out (the file then fails).
    private func resolvePreempts(in junction: Junction) -> [Preempt] {
        let detectorIndex = firstIndices(junction.detectors.map(\.name))
        let stageIndex = firstIndices(junction.stages.map(\.name))
        return draft.preempts.enumerated().compactMap { index, entry in
            let path: [JunctionProblem.PathComponent] = [.key("preempt"), .entry(name: entry.preempt.name, index: index)]
            let input = resolve([entry.input], in: detectorIndex, at: path + [.key("input")], noun: "detector")
            let dwell = resolve([entry.dwellStage], in: stageIndex, at: path + [.key("dwell_stage")], noun: "stage")
            let exit = resolve([entry.exitStage], in: stageIndex, at: path + [.key("exit_stage")], noun: "stage")
            guard let input = input.first, let dwell = dwell.first, let exit = exit.first else { return nil }
            var preempt = entry.preempt
            preempt.input = input
            preempt.dwellStage = dwell
            preempt.exitStage = exit
            return preempt
        }
    }

    private func resolve(
        _ names: [String], in index: [String: Int], at path: [JunctionProblem.PathComponent], noun: String
    ) -> [Int] {
        names.compactMap { name in
            guard let found = index[name] else {
                log.report(.unknownName, path, "\"\(name)\" is not a \(noun)")
                return nil
            }
            return found
        }
    }

    /// Name → index of its first use; later uses are reported by `checkUniqueNames` (phase names by the validator).
    private func firstIndices(_ names: [String]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil {
            index[name] = position
        }
        return index
    }
}
