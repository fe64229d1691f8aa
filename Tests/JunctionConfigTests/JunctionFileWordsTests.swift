import JunctionConfig
import SignalCore
import XCTest

/// Every value of the file's choice keys has its word, in the file's snake_case.
final class JunctionFileWordsTests: XCTestCase {
    func testEveryValueHasASnakeCaseWord() {
        let words =
            SignalGroupKind.allCases.map(JunctionFileWords.word) + RecallMode.allCases.map(JunctionFileWords.word)
            + CallMemory.allCases.map(JunctionFileWords.word) + FlashIndication.allCases.map(JunctionFileWords.word)
            + DetectorFunction.allCases.map(JunctionFileWords.word) + DetectorPlacement.allCases.map(JunctionFileWords.word)
            + FailedDetectorAction.allCases.map(JunctionFileWords.word)
        for word in words {
            XCTAssertTrue(word.allSatisfy { $0.isLowercase || $0 == "_" }, word)
        }
        XCTAssertEqual(JunctionFileWords.word(SignalGroupKind.turnArrow), "turn_arrow")
        XCTAssertEqual(JunctionFileWords.word(DetectorFunction.callAndExtend), "call_and_extend")
        XCTAssertEqual(JunctionFileWords.word(FlashIndication.flashingAmber), "flashing_amber")
    }
}
