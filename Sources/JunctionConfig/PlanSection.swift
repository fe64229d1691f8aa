import SignalCore

/// One `[[plans]]` entry: a fixed-time plan with cycle, offset and one split per sequence stage.
enum PlanSection {
    /// Words `junctionctl plan` and `[schedule]` use for something other than a fixed-time plan.
    static let reserved: Set<String> = ["actuated", "adaptive", "auto"]

    static func read(_ reader: TableReader) -> FixedTimePlan {
        let name = reader.readName()
        if reserved.contains(name) {
            reader.report(
                .invalidValue, "name", "plan name \"\(name)\" is reserved (actuated, adaptive and auto select no fixed-time plan)")
        }
        let plan = FixedTimePlan(
            name: name,
            cycle: reader.seconds("cycle", required: true) ?? 0,
            offset: reader.seconds("offset") ?? 0,
            splits: reader.secondsList("splits", required: true, limit: ConfigSection.stages.entryLimit) ?? [])
        reader.rejectUnknownKeys()
        return plan
    }
}
