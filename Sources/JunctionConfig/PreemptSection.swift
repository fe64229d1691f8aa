import SignalCore

/// One `[[preempt]]` entry: an emergency-vehicle preempt, its input detector, dwell and exit
/// stages (by name) and its timings in seconds. Names are resolved and ranges checked later, by
/// `JunctionAssembler` and `JunctionValidator`.
enum PreemptSection {
    static func read(_ reader: TableReader) -> ConfigDraft.PreemptEntry {
        let name = reader.readName()
        let preempt = Preempt(
            number: reader.integer("number", required: true) ?? 0, name: name, input: 0, dwellStage: 0, exitStage: 0,
            minGreen: reader.seconds("min_green", required: true) ?? 0,
            minDwell: reader.seconds("min_dwell", required: true) ?? 0,
            maxPresence: reader.seconds("max_presence", required: true) ?? 0)
        let entry = ConfigDraft.PreemptEntry(
            preempt: preempt, input: reader.name("input", required: true) ?? "",
            dwellStage: reader.name("dwell_stage", required: true) ?? "",
            exitStage: reader.name("exit_stage", required: true) ?? "")
        reader.rejectUnknownKeys()
        return entry
    }
}
