import Diagnostics
import JunctionConfig
import XCTest

@testable import junctionctl

/// junctionctl's text uses the junction file's words, and `config show` gives crossings walk and clearance.
final class FileWordsTests: XCTestCase {
    func testWireValuesBecomeTheFilesWords() {
        XCTAssertEqual(FileWords.groupKind("turnArrow"), "turn_arrow")
        XCTAssertEqual(FileWords.function("callAndExtend"), "call_and_extend")
        XCTAssertEqual(FileWords.flash("flashingAmber"), "flashing_amber")
        XCTAssertEqual(FileWords.memory("nonLocking"), "non_locking")
        XCTAssertEqual(FileWords.placement("stopLine"), "stop_line")
        XCTAssertEqual(FileWords.failedAction("maxRecall"), "max_recall")
        XCTAssertEqual(FileWords.recall("minimum"), "minimum")
        XCTAssertEqual(FileWords.groupKind("hovercraft"), "hovercraft", "an unknown value is shown as sent")
    }

    func testConfigShowGivesPedestrianGroupsWalkAndClearance() throws {
        let loaded = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in")
        let config = ConfigReport(junction: loaded.junction, source: "built-in", summary: "", settings: [:])
        let text = ConfigShowCommand.groupTables(config.groups)
        let parts = text.components(separatedBy: "pedestrian groups:")
        XCTAssertEqual(parts.count, 2, text)
        XCTAssertTrue(parts[0].contains("min_green") && parts[0].contains("amber"), text)
        XCTAssertFalse(parts[0].contains(" pedestrian "), text)
        XCTAssertTrue(parts[1].contains("walk") && parts[1].contains("clearance"), text)
        XCTAssertFalse(parts[1].contains("min_green") || parts[1].contains("max_green"), text)
        let crossing = try XCTUnwrap(config.groups.first { $0.kind == "pedestrian" })
        let row = try XCTUnwrap(parts[1].split(separator: "\n").first { $0.contains(" \(crossing.name) ") })
        XCTAssertTrue(row.contains(TextFormat.seconds(crossing.minGreenTenths)), String(row))
        XCTAssertTrue(row.contains(TextFormat.seconds(crossing.clearanceTenths)), String(row))
        XCTAssertFalse(text.contains("turnArrow") || text.contains("nonLocking") || text.contains("flashingAmber"), text)
    }
}
