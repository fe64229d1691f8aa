import SignalCore

/// `[junction]`: the name, the amber floor and the stage sequence.
enum JunctionSection {
    /// The amber floor a file may set: from the monitors' 2.7 s up to 6 s, the top of ITE's range.
    static let amberFloorRange: ClosedRange<Tenths> = JunctionValidator.lowestAmberFloor...60

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        draft.name = reader.name("name", required: true) ?? ""
        if let floor = reader.seconds("amber_floor") {
            if amberFloorRange.contains(floor) {
                draft.amberFloor = floor
            } else {
                reader.report(
                    .outOfRange, "amber_floor",
                    "amber_floor \(JunctionValidator.seconds(floor)) is outside 2.7–6.0 s")
            }
        }
        draft.sequence = reader.names("sequence", limit: ConfigSection.stages.entryLimit)
        reader.rejectUnknownKeys()
    }
}
