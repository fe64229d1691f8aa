import SignalCore

/// One `[[plans]]` entry: a fixed-time plan with cycle, offset and one split per sequence stage.
enum PlanSection {
    static func read(_ reader: TableReader) -> FixedTimePlan {
        let name = reader.readName()
        let plan = FixedTimePlan(
            name: name,
            cycle: reader.seconds("cycle", required: true) ?? 0,
            offset: reader.seconds("offset") ?? 0,
            splits: reader.secondsList("splits", required: true, limit: ConfigSection.stages.entryLimit) ?? [])
        reader.rejectUnknownKeys()
        return plan
    }
}
