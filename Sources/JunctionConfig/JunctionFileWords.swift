import SignalCore

/// The junction file's word for each value of its choice keys (`kind = "turn_arrow"`,
/// `function = "call_and_extend"`), taken from the very tables the loader reads them with, so a
/// tool that shows a junction (junctionctl) speaks the file's words and never a Swift case name.
public enum JunctionFileWords {
    /// `kind`: `vehicle`, `turn_arrow`, `pedestrian`.
    public static func word(_ kind: SignalGroupKind) -> String { word(kind, in: GroupSection.kinds) }
    /// `recall`: `none`, `minimum`, `maximum`, `pedestrian`, `soft`.
    public static func word(_ recall: RecallMode) -> String { word(recall, in: GroupSection.recalls) }
    /// `memory`: `locking`, `non_locking`.
    public static func word(_ memory: CallMemory) -> String { word(memory, in: GroupSection.memories) }
    /// `flash`: `flashing_amber`, `flashing_red`, `dark`.
    public static func word(_ flash: FlashIndication) -> String { word(flash, in: GroupSection.flashes) }
    /// A detector's `function`: `call`, `extend`, `call_and_extend`.
    public static func word(_ function: DetectorFunction) -> String { word(function, in: DetectorSection.functions) }
    /// A detector's `placement`: `stop_line`, `advance`, `push_button`.
    public static func word(_ placement: DetectorPlacement) -> String { word(placement, in: DetectorSection.placements) }
    /// A detector's `failed_action`: `max_recall`, `min_recall`.
    public static func word(_ action: FailedDetectorAction) -> String { word(action, in: DetectorSection.failedActions) }

    /// Every value has a word (JunctionFileWordsTests checks each case); the Swift name is only a
    /// fallback that a table missing a new case would show.
    private static func word<Value: Equatable>(_ value: Value, in table: KeyValuePairs<String, Value>) -> String {
        table.first { $0.value == value }?.key ?? "\(value)"
    }
}
