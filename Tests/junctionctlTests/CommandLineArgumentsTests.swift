import XCTest

@testable import junctionctl

/// Client options before the command, and suggestions for mistyped commands.
final class CommandLineArgumentsTests: XCTestCase {
    func testClientOptionsBeforeTheCommandMoveBehindIt() {
        func hoisted(_ arguments: [String]) -> [String] {
            CommandLineArguments.hoistingClientOptions(arguments, root: JunctionCtl.self)
        }
        XCTAssertEqual(hoisted(["--json", "status"]), ["status", "--json"])
        XCTAssertEqual(
            hoisted(["--socket", "/s", "--timeout=9", "config", "show"]), ["config", "show", "--socket", "/s", "--timeout=9"])
        XCTAssertEqual(hoisted(["--json", "call", "--", "-x"]), ["call", "--json", "--", "-x"])
        XCTAssertEqual(hoisted(["status", "--json"]), ["status", "--json"])
        XCTAssertEqual(hoisted(["--version"]), ["--version"])
        // Among a group's words too, and left out where no whole command follows (the group's help shows).
        XCTAssertEqual(hoisted(["config", "--json", "check", "f.toml"]), ["config", "check", "f.toml", "--json"])
        XCTAssertEqual(
            hoisted(["config", "--runtime-directory", "/r", "show"]), ["config", "show", "--runtime-directory", "/r"])
        XCTAssertEqual(hoisted(["--json", "config"]), ["config"])
        XCTAssertEqual(hoisted(["--json", "stauts"]), ["stauts", "--json"])
    }

    func testAnUnknownOptionOrBadValueIsShownEscaped() {
        for arguments in [["status", "--js\u{1B}[2Jon"], ["events", "--since", "\r\u{1B}]0;owned\u{07}"]] {
            do {
                _ = try JunctionCtl.parseAsRoot(arguments)
                XCTFail("\(arguments) parsed")
            } catch {
                let ending = CommandLineArguments.ending(for: error)
                XCTAssertNotEqual(ending.exitCode, 0)
                XCTAssertFalse(ending.text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" || $0 == "\u{07}" }, ending.text)
                XCTAssertTrue(ending.text.contains("\\u{1B}"), ending.text)
                XCTAssertTrue(ending.text.contains("Usage:") || ending.text.contains("Help:"), ending.text)
            }
        }
    }

    func testHelpIsTheToolsOwnTextAndExitsZero() {
        do {
            // ArgumentParser answers --help with its help command, whose run ends in the help text.
            var help = try JunctionCtl.parseAsRoot(["status", "--help"])
            try help.run()
            XCTFail("--help ran")
        } catch {
            let ending = CommandLineArguments.ending(for: error)
            XCTAssertEqual(ending.exitCode, 0)
            XCTAssertTrue(ending.text.contains("USAGE: junctionctl status"), ending.text)
        }
    }

    func testAMistypedCommandGetsTheNearestName() throws {
        let status = try XCTUnwrap(CommandLineArguments.unknownCommand(["stauts"], root: JunctionCtl.self))
        XCTAssertTrue(status.contains("did you mean `status`?"), status)
        let show = try XCTUnwrap(CommandLineArguments.unknownCommand(["config", "shwo"], root: JunctionCtl.self))
        XCTAssertTrue(show.contains("`junctionctl config`") && show.contains("did you mean `show`?"), show)
        let none = try XCTUnwrap(CommandLineArguments.unknownCommand(["zzzzzzz"], root: JunctionCtl.self))
        XCTAssertTrue(none.contains("commands: status, detectors"), none)
        XCTAssertNil(CommandLineArguments.unknownCommand(["status", "--json"], root: JunctionCtl.self))
        XCTAssertNil(CommandLineArguments.unknownCommand(["flash", "on"], root: JunctionCtl.self))
        XCTAssertNil(CommandLineArguments.unknownCommand(["--version"], root: JunctionCtl.self))
        XCTAssertNil(CommandLineArguments.unknownCommand(["help", "status"], root: JunctionCtl.self))
    }

    func testAnUnknownCommandIsQuotedEscaped() throws {
        let message = try XCTUnwrap(
            CommandLineArguments.unknownCommand(["st\u{1B}[2Jatus\nforged line"], root: JunctionCtl.self))
        XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, message)
        XCTAssertTrue(message.contains("unknown command `st\\u{1B}[2Jatus\\u{A}forged line`"), message)
        let nested = try XCTUnwrap(CommandLineArguments.unknownCommand(["config", "\u{202E}woh"], root: JunctionCtl.self))
        XCTAssertTrue(nested.contains("`\\u{202E}woh`"), nested)
    }

    func testEditDistance() {
        XCTAssertEqual(CommandSuggestion.distance("status", "status"), 0)
        XCTAssertEqual(CommandSuggestion.distance("stauts", "status"), 1)
        XCTAssertEqual(CommandSuggestion.distance("evnts", "events"), 1)
        XCTAssertEqual(CommandSuggestion.distance("", "hold"), 4)
        XCTAssertEqual(CommandSuggestion.nearest(to: "hod", among: ["hold", "flash"]), ["hold"])
        XCTAssertEqual(CommandSuggestion.nearest(to: "det", among: ["detectors", "events"]), ["detectors"])
        XCTAssertEqual(CommandSuggestion.nearest(to: "quux", among: ["hold", "flash"]), [])
    }
}
