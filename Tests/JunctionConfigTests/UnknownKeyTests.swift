import Foundation
import JunctionConfig
import Testing

private typealias F = ConfigFixture

/// Every table rejects keys it does not know, naming the key and its line, so that a misspelt
/// key is never a silent default.
@Suite struct UnknownKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var source: String
        var field: String
        var lineText: String
        var testDescription: String { field }
    }

    static let nemaSource =
        (try? String(
            contentsOf: ExampleFiles.directory.appendingPathComponent("nema-8phase.toml"), encoding: .utf8)) ?? ""

    static let cases: [Case] = [
        Case(source: F.appending("[field_io]\nbackend = \"gpio\""), field: "field_io", lineText: "[field_io]"),
        Case(source: F.appending("[[networks]]\nname = \"x\""), field: "networks", lineText: "[[networks]]"),
        Case(
            source: F.replacing("name = \"fixture\"", with: "name = \"fixture\"\nnmae = \"typo\""),
            field: "junction.nmae", lineText: "nmae"),
        Case(
            source: F.appending("[startup]\nflash = 5.0\nall_rde = 3.0"), field: "startup.all_rde",
            lineText: "all_rde"),
        Case(
            source: F.replacing("amber = 3.0", with: "amber = 3.0\nambre = 3.0"), field: "groups.A.ambre",
            lineText: "ambre"),
        Case(
            source: F.replacing("red_amber = 1.0", with: "red_amber = 1.0\nrecal = \"minimum\""),
            field: "groups.B.recal", lineText: "recal"),
        Case(
            source: F.replacing("groups = [\"B\", \"P\"]", with: "groups = [\"B\", \"P\"]\ncolour = \"red\""),
            field: "stages.S2.colour", lineText: "colour"),
        Case(
            source: F.replacing("placement = \"push_button\"", with: "placement = \"push_button\"\npin = 4"),
            field: "detectors.PB.pin", lineText: "pin = 4"),
        Case(
            source: F.replacing("offset = 0", with: "offset = 0\nofset = 3"), field: "plans.fixed.ofset",
            lineText: "ofset"),
        Case(
            source: nemaSource.replacingOccurrences(
                of: "ring2 = [5, 6, 7, 8]", with: "ring2 = [5, 6, 7, 8]\nring3 = []"),
            field: "nema.ring3", lineText: "ring3"),
        Case(
            source: nemaSource.replacingOccurrences(of: "amber = 4.0", with: "amber = 4.0\nyellow = 4.0"),
            field: "nema.phases.P8.yellow", lineText: "yellow"),
    ]

    @Test(arguments: cases)
    func unknownKeyIsRejectedWithItsLine(_ invalid: Case) {
        let problems = ConfigFixture.problems(invalid.source)
        let match = problems.first { $0.kind == .unknownKey && $0.field == invalid.field }
        guard let match else {
            Issue.record(
                "no unknown-key problem at \(invalid.field); got:\n\(InvalidConfigTests.listing(problems))"
            )
            return
        }
        #expect(match.message.contains("unknown"))
        #expect(match.line == ConfigFixture.line(containing: invalid.lineText, in: invalid.source))
    }

    @Test func nemaSourceWasFound() {
        #expect(Self.nemaSource.contains("[nema]"))
    }

    @Test func unknownSectionListsTheKnownOnes() {
        let problem = ConfigFixture.problems(F.appending("[fieldio]\nx = 1")).first
        #expect(problem?.message.contains("known sections: junction") == true)
    }
}
