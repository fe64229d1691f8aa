import JunctionConfig
import SignalCore

/// The junction file's words for the values the diagnostic protocol sends as SignalCore's raw
/// values (`turnArrow` on the wire is `turn_arrow` in the file and in junctionctl's text); the
/// words themselves are the loader's (`JunctionFileWords`). A value this junctionctl does not know
/// (a newer daemon) is shown as sent.
enum FileWords {
    static func groupKind(_ wire: String) -> String { SignalGroupKind(rawValue: wire).map(JunctionFileWords.word) ?? wire }
    static func recall(_ wire: String) -> String { RecallMode(rawValue: wire).map(JunctionFileWords.word) ?? wire }
    static func memory(_ wire: String) -> String { CallMemory(rawValue: wire).map(JunctionFileWords.word) ?? wire }
    static func flash(_ wire: String) -> String { FlashIndication(rawValue: wire).map(JunctionFileWords.word) ?? wire }
    static func function(_ wire: String) -> String { DetectorFunction(rawValue: wire).map(JunctionFileWords.word) ?? wire }
    static func placement(_ wire: String) -> String { DetectorPlacement(rawValue: wire).map(JunctionFileWords.word) ?? wire }
    static func failedAction(_ wire: String) -> String {
        FailedDetectorAction(rawValue: wire).map(JunctionFileWords.word) ?? wire
    }
}
