/// `[field]`: the backends for detectors and for lamps.
enum FieldSection {
    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        let options = KeyValuePairs<String, FieldSelection.Backend>(dictionaryLiteral:
            ("simulated", .simulated), ("gpio", .gpio), ("modbus", .modbus), ("sumo", .sumo))
        draft.field.detectors = reader.choice("detectors", options, default: .simulated)
        draft.field.outputs = reader.choice("outputs", options, default: .simulated)
        reader.rejectUnknownKeys()
    }
}
