import SignalCore

/// One `[[detectors]]` entry: a loop or push button, the groups it serves and its diagnostics.
enum DetectorSection {
    static let functions: KeyValuePairs<String, DetectorFunction> = [
        "call": .call, "extend": .extend, "call_and_extend": .callAndExtend, "preempt": .preempt,
    ]
    static let placements: KeyValuePairs<String, DetectorPlacement> = [
        "stop_line": .stopLine, "advance": .advance, "push_button": .pushButton,
    ]
    static let failedActions: KeyValuePairs<String, FailedDetectorAction> = [
        "max_recall": .maxRecall, "min_recall": .minRecall,
    ]

    static func read(_ reader: TableReader) -> ConfigDraft.DetectorEntry {
        let name = reader.readName()
        if Int(name) != nil {
            // `junctionctl call 3` means detector number 3: a detector named "3" could not be called,
            // and a call meant for it would reach another loop.
            reader.report(
                .invalidValue, "name",
                "name \(name) reads as a number, and `junctionctl call` takes a detector's number as well as its name; give it a name with a letter")
        }
        let function = reader.choice("function", functions, default: .callAndExtend)
        // A preempt detector calls a `[[preempt]]`, not groups.
        let groups =
            reader.names("groups", required: function != .preempt, limit: ConfigSection.groups.entryLimit) ?? []
        let detector = Detector(
            name: name, groups: [],
            function: function,
            placement: reader.choice("placement", placements, default: .stopLine),
            diagnostics: DetectorDiagnosticLimits(
                noActivityMinutes: reader.integer("no_activity_minutes") ?? 0,
                maxPresenceMinutes: reader.integer("max_presence_minutes") ?? 0,
                erraticCountsPerMinute: reader.integer("erratic_per_minute") ?? 0),
            failedAction: reader.choice("failed_action", failedActions, default: .maxRecall))
        reader.rejectUnknownKeys()
        return .init(detector: detector, groups: groups)
    }
}
