import SignalCore

/// `[nema]`: a dual-ring ring-barrier layout with its `[[nema.phases]]`, compiled into groups,
/// conflicts, intergreens and stages instead of writing them out.
enum NemaSection {
    static func read(_ reader: TableReader?) -> ConfigDraft.Nema? {
        guard let reader else { return nil }
        let phaseLimit = RingBarrierDescription.phaseNumbers.count
        let ring1 = reader.integers("ring1", required: true, limit: phaseLimit) ?? []
        let ring2 = reader.integers("ring2", limit: phaseLimit) ?? []
        var barriers: [[Int]] = []
        for (index, element) in (reader.array("barriers", required: true, limit: phaseLimit) ?? []).enumerated() {
            guard let list = element.array, list.allSatisfy({ $0.int != nil }) else {
                reader.log.report(
                    .wrongType, reader.path + [.key("barriers"), .element(index)],
                    "expected a list of phase numbers")
                continue
            }
            barriers.append(list.compactMap(\.int))
        }
        var phases: [RingBarrierDescription.Phase] = []
        var entryOfPhase: [Int: Int] = [:]
        for (index, element) in (reader.array("phases", required: true, limit: phaseLimit) ?? []).enumerated() {
            let path = reader.path + [.key("phases"), .entry(name: "", index: index)]
            guard let table = element.table else {
                reader.log.report(.wrongType, path, "expected a [[nema.phases]] table, found \(element.type)")
                continue
            }
            let phase = readPhase(TableReader(table: table, path: path, log: reader.log))
            if entryOfPhase[phase.number] == nil { entryOfPhase[phase.number] = index }
            phases.append(phase)
        }
        reader.rejectUnknownKeys()
        let description = RingBarrierDescription(
            name: "", phases: phases, ring1: ring1, ring2: ring2, barriers: barriers)
        return .init(description: description, entryOfPhase: entryOfPhase)
    }

    private static func readPhase(_ reader: TableReader) -> RingBarrierDescription.Phase {
        let number = reader.integer("number", required: true) ?? 0
        let name = reader.name("name") ?? "P\(number)"
        if case .entry(_, let index)? = reader.path.last {
            reader.rename(.entry(name: name, index: index))
        }
        let kind = GroupSection.readKind(reader)
        let phase = RingBarrierDescription.Phase(
            number: number, name: name, kind: kind,
            timing: GroupSection.readTiming(reader, kind: kind),
            redClearance: reader.seconds("red_clearance", required: true) ?? 0,
            recall: reader.choice("recall", GroupSection.recalls, default: .none),
            memory: reader.choice("memory", GroupSection.memories, default: .locking),
            flash: reader.choice("flash", GroupSection.flashes))
        reader.rejectUnknownKeys(context: "a \(JunctionFileWords.word(kind)) phase")
        return phase
    }
}
