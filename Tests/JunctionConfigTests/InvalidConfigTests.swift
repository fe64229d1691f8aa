import JunctionConfig
import SignalCore
import Testing

/// One broken junction file and what the loader must say about it.
struct InvalidConfig: CustomTestStringConvertible, Sendable {
    var label: String
    var source: String
    var kind: ConfigProblem.Kind
    var field: String
    var fragment: String
    /// The text on the line the problem must point at, and which occurrence of it; nil when the
    /// field has no line (a value the file leaves to its default).
    var lineText: String?
    var occurrence = 1

    var testDescription: String { label }
}

private typealias F = ConfigFixture

@Suite struct InvalidConfigTests {
    static let cases: [InvalidConfig] = [
        InvalidConfig(
            label: "amber below the floor", source: F.replacing("amber = 3.0", with: "amber = 2.5"),
            kind: .junction(.amberBelowFloor), field: "groups.A.amber", fragment: "below the 3.0 s floor",
            lineText: "amber = 2.5"),
        InvalidConfig(
            label: "turn-arrow amber below the floor",
            source: F.replacing(
                "kind = \"vehicle\"\nmin_green = 8", with: "kind = \"turn_arrow\"\nmin_green = 8",
                in: F.replacing("amber = 3.5", with: "amber = 2.8")),
            kind: .junction(.amberBelowFloor), field: "groups.B.amber", fragment: "2.8 s is below",
            lineText: "amber = 2.8"),
        InvalidConfig(
            label: "amber above a configured floor of 3.5 s",
            source: F.replacing("name = \"fixture\"", with: "name = \"fixture\"\namber_floor = 3.5"),
            kind: .junction(.amberBelowFloor), field: "groups.A.amber", fragment: "below the 3.5 s floor",
            lineText: "amber = 3.0"),
        InvalidConfig(
            label: "amber floor below 2.7 s",
            source: F.replacing("name = \"fixture\"", with: "name = \"fixture\"\namber_floor = 2.5"),
            kind: .outOfRange, field: "junction.amber_floor", fragment: "outside 2.7", lineText: "amber_floor"),
        InvalidConfig(
            label: "amber written in tenths", source: F.replacing("amber = 3.0", with: "amber = 30"),
            kind: .junction(.timingOutOfRange), field: "groups.A.amber", fragment: "written in tenths",
            lineText: "amber = 30"),
        InvalidConfig(
            label: "min green above max green", source: F.replacing("max_green = 30", with: "max_green = 5"),
            kind: .junction(.minGreenAboveMax), field: "groups.A.min_green", fragment: "longer than max_green 5.0 s",
            lineText: "min_green = 7"),
        InvalidConfig(
            label: "min green under one second", source: F.replacing("min_green = 7", with: "min_green = 0.5"),
            kind: .junction(.timingOutOfRange), field: "groups.A.min_green", fragment: "outside 1.0",
            lineText: "min_green = 0.5"),
        InvalidConfig(
            label: "negative passage", source: F.replacing("passage = 2.5", with: "passage = -1.0"),
            kind: .junction(.timingOutOfRange), field: "groups.A.passage", fragment: "-1.0 s",
            lineText: "passage = -1.0"),
        InvalidConfig(
            label: "red+amber on a pedestrian group",
            source: F.replacing("clearance = 9.0", with: "clearance = 9.0\nred_amber = 1.0"),
            kind: .junction(.pedestrianRedAmber), field: "groups.P.red_amber", fragment: "cannot show it",
            lineText: "red_amber = 1.0", occurrence: 2),
        InvalidConfig(
            label: "time finer than a tenth", source: F.replacing("amber = 3.0", with: "amber = 3.05"),
            kind: .precision, field: "groups.A.amber", fragment: "finer than a tenth", lineText: "amber = 3.05"),
        InvalidConfig(
            label: "time just finer than a tenth", source: F.replacing("amber = 3.0", with: "amber = 2.9999999"),
            kind: .precision, field: "groups.A.amber", fragment: "finer than a tenth", lineText: "amber = 2.9999999"),
        InvalidConfig(
            label: "time beyond any use", source: F.replacing("amber = 3.0", with: "amber = 100000.1"),
            kind: .outOfRange, field: "groups.A.amber", fragment: "not a usable time (at most 100000 s)",
            lineText: "amber = 100000.1"),
        InvalidConfig(
            label: "intergreen of hours", source: F.replacing("B = { A = 5.0 }", with: "B = { A = 4800 }"),
            kind: .junction(.timingOutOfRange), field: "intergreen.B.A", fragment: "4800.0 s is above 300.0 s",
            lineText: "B = { A = 4800 }"),
        InvalidConfig(
            label: "time as a string", source: F.replacing("amber = 3.0", with: "amber = \"3.0\""),
            kind: .wrongType, field: "groups.A.amber", fragment: "expected a time in seconds, found string",
            lineText: "amber = \"3.0\""),
        InvalidConfig(
            label: "unknown group kind", source: F.replacing("kind = \"pedestrian\"", with: "kind = \"bicycle\""),
            kind: .invalidValue, field: "groups.P.kind", fragment: "\"bicycle\" is not one of", lineText: "bicycle"),
        InvalidConfig(
            label: "missing required key", source: F.replacing("passage = 2.5\n", with: ""),
            kind: .missingKey, field: "groups.A.passage", fragment: "missing required key \"passage\"",
            lineText: "[[groups]]"),
        InvalidConfig(
            label: "duplicate stage name", source: F.replacing("name = \"S2\"", with: "name = \"S1\""),
            kind: .junction(.duplicateName), field: "stages.S1", fragment: "used twice",
            lineText: "[[stages]]", occurrence: 2),
        InvalidConfig(
            label: "duplicate group name",
            source: F.appending("[[groups]]\nname = \"P\"\nkind = \"pedestrian\"\nwalk = 6\nclearance = 9.0"),
            kind: .junction(.duplicateName), field: "groups.P", fragment: "group name \"P\" is used twice",
            lineText: "[[groups]]", occurrence: 4),
        InvalidConfig(
            label: "duplicate detector name", source: F.replacing("name = \"PB\"", with: "name = \"DA\""),
            kind: .junction(.duplicateName), field: "detectors.DA", fragment: "used twice",
            lineText: "[[detectors]]", occurrence: 2),
        InvalidConfig(
            label: "duplicate plan name",
            source: F.appending("[[plans]]\nname = \"fixed\"\ncycle = 60\nsplits = [30, 30]"),
            kind: .junction(.duplicateName), field: "plans.fixed", fragment: "plan name \"fixed\" is used twice",
            lineText: "[[plans]]", occurrence: 2),
        InvalidConfig(
            label: "stage holding conflicting groups",
            source: F.replacing("groups = [\"B\", \"P\"]", with: "groups = [\"A\", \"B\"]"),
            kind: .junction(.stageConflict), field: "stages.S2", fragment: "conflicting groups A and B",
            lineText: "[[stages]]", occurrence: 2),
        InvalidConfig(
            label: "conflicting pair with no intergreen", source: F.replacing("B = { A = 5.0 }\n", with: ""),
            kind: .junction(.missingIntergreen), field: "intergreen.B.A", fragment: "is not set",
            lineText: "[intergreen]"),
        InvalidConfig(
            label: "zero intergreen", source: F.replacing("B = { A = 5.0 }", with: "B = { A = 0 }"),
            kind: .junction(.intergreenTooShort), field: "intergreen.B.A",
            fragment: "intergreen B→A is 0.0 s; conflicting groups need a positive intergreen of at least 5.0 s: "
                + "B's clearance 3.5 s plus A's red+amber 1.5 s",
            lineText: "B = { A = 0 }"),
        InvalidConfig(
            label: "negative intergreen", source: F.replacing("B = { A = 5.0 }", with: "B = { A = -2.5 }"),
            kind: .junction(.intergreenTooShort), field: "intergreen.B.A",
            fragment: "intergreen B→A is -2.5 s; conflicting groups need a positive intergreen of at least 5.0 s",
            lineText: "B = { A = -2.5 }"),
        InvalidConfig(
            label: "zero intergreen between groups that do not conflict",
            source: F.replacing("B = { A = 5.0 }", with: "B = { A = 5.0, P = 0.0 }"),
            kind: .junction(.intergreenWithoutConflict), field: "intergreen.B.P",
            fragment: "intergreen B→P is given (0.0 s) but the groups do not conflict; remove it",
            lineText: "B = { A = 5.0, P = 0.0 }"),
        InvalidConfig(
            label: "zero intergreen from a group to itself",
            source: F.replacing("B = { A = 5.0 }", with: "B = { A = 5.0, B = 0 }"),
            kind: .junction(.intergreenWithoutConflict), field: "intergreen.B.B",
            fragment: "intergreen B→B is given (0.0 s) but a group does not clear to itself",
            lineText: "B = { A = 5.0, B = 0 }"),
        InvalidConfig(
            label: "intergreen shorter than the clearance",
            source: F.replacing("A = { B = 5.0, P = 5.0 }", with: "A = { B = 2.0, P = 5.0 }"),
            kind: .junction(.intergreenTooShort), field: "intergreen.A.B", fragment: "shorter than A's clearance 3.0 s",
            lineText: "A = { B = 2.0"),
        InvalidConfig(
            label: "intergreen without room for red+amber",
            source: F.replacing("B = { A = 5.0 }", with: "B = { A = 4.0 }"),
            kind: .junction(.intergreenTooShort), field: "intergreen.B.A", fragment: "plus A's red+amber 1.5 s",
            lineText: "B = { A = 4.0 }"),
        InvalidConfig(
            label: "conflict written from one side only", source: F.replacing("P = [\"A\"]", with: "P = []"),
            kind: .junction(.conflictAsymmetric), field: "conflicts.P", fragment: "but P does not list A",
            lineText: "P = []"),
        InvalidConfig(
            label: "group conflicting with itself", source: F.replacing("B = [\"A\"]", with: "B = [\"A\", \"B\"]"),
            kind: .junction(.conflictDiagonal), field: "conflicts.B", fragment: "conflicting with itself",
            lineText: "B = [\"A\", \"B\"]"),
        InvalidConfig(
            label: "conflict naming an unknown group", source: F.replacing("B = [\"A\"]", with: "B = [\"A\", \"Q\"]"),
            kind: .unknownName, field: "conflicts.B", fragment: "\"Q\", which is not a group",
            lineText: "B = [\"A\", \"Q\"]"),
        InvalidConfig(
            label: "group in no stage",
            source: F.appending(
                "[[groups]]\nname = \"C\"\nkind = \"vehicle\"\n"
                    + "min_green = 7\nmax_green = 30\npassage = 2.5\namber = 3.0"
            ),
            kind: .junction(.groupNeverGreen), field: "groups.C", fragment: "can never get green: it is in no stage",
            lineText: "[[groups]]", occurrence: 4),
        InvalidConfig(
            label: "group only in a stage outside the sequence",
            source: F.replacing("name = \"fixture\"", with: "name = \"fixture\"\nsequence = [\"S1\"]"),
            kind: .junction(.groupNeverGreen), field: "groups.B", fragment: "its stages are not in the sequence",
            lineText: "[[groups]]", occurrence: 2),
        InvalidConfig(
            label: "sequence naming an unknown stage",
            source: F.replacing("name = \"fixture\"", with: "name = \"fixture\"\nsequence = [\"S1\", \"S3\"]"),
            kind: .unknownName, field: "junction.sequence[1]", fragment: "\"S3\" is not a stage",
            lineText: "sequence = "),
        InvalidConfig(
            label: "empty sequence",
            source: F.replacing("name = \"fixture\"", with: "name = \"fixture\"\nsequence = []"),
            kind: .junction(.emptySequence), field: "junction.sequence", fragment: "sequence is empty",
            lineText: "sequence = []"),
        InvalidConfig(
            label: "detector naming an unknown group",
            source: F.replacing("groups = [\"P\"]", with: "groups = [\"Q\"]"),
            kind: .unknownName, field: "detectors.PB.groups", fragment: "\"Q\" is not a group",
            lineText: "groups = [\"Q\"]"),
        InvalidConfig(
            label: "detector with no group",
            source: F.replacing("groups = [\"A\"]\nfunction", with: "groups = []\nfunction"),
            kind: .junction(.detectorNoGroup), field: "detectors.DA.groups", fragment: "serves no group",
            lineText: "groups = []"),
        InvalidConfig(
            label: "plan with too many splits", source: F.replacing("splits = [30, 30]", with: "splits = [20, 20, 20]"),
            kind: .junction(.planSplitCount), field: "plans.fixed.splits", fragment: "3 splits but the sequence has 2",
            lineText: "splits = [20, 20, 20]"),
        InvalidConfig(
            label: "splits not adding up to the cycle",
            source: F.replacing("splits = [30, 30]", with: "splits = [30, 25]"),
            kind: .junction(.planSplitSum), field: "plans.fixed.splits",
            fragment: "add up to 55.0 s, not the cycle 60.0 s",
            lineText: "splits = [30, 25]"),
        InvalidConfig(
            label: "offset outside the cycle", source: F.replacing("offset = 0", with: "offset = 60"),
            kind: .junction(.planOffsetOutOfRange), field: "plans.fixed.offset", fragment: "outside the cycle",
            lineText: "offset = 60"),
        InvalidConfig(
            label: "split too short for min green and interstage",
            source: F.replacing("splits = [30, 30]", with: "splits = [10, 50]"),
            kind: .junction(.planSplitTooShort), field: "plans.fixed.splits[0]",
            fragment: "shorter than its min green 7.0 s plus the interstage 5.0 s", lineText: "splits = [10, 50]"),
        InvalidConfig(
            label: "split too short for the pedestrian intergreen",
            source: F.replacing("splits = [30, 30]", with: "splits = [42, 18]"),
            kind: .junction(.planSplitTooShort), field: "plans.fixed.splits[1]",
            fragment: "min green 8.0 s plus the interstage 11.0 s", lineText: "splits = [42, 18]"),
        InvalidConfig(
            label: "startup flash too short", source: F.appending("[startup]\nflash = 1.0"),
            kind: .junction(.startupFlashOutOfRange), field: "startup.flash", fragment: "outside 3.0–120.0 s",
            lineText: "flash = 1.0"),
        InvalidConfig(
            label: "startup all-red too long", source: F.appending("[startup]\nall_red = 45"),
            kind: .junction(.startupAllRedOutOfRange), field: "startup.all_red", fragment: "outside 2.0–30.0 s",
            lineText: "all_red = 45"),
        InvalidConfig(
            label: "vehicle key on a pedestrian group",
            source: F.replacing("walk = 6", with: "walk = 6\nmin_green = 6"),
            kind: .unknownKey, field: "groups.P.min_green", fragment: "for a pedestrian group",
            lineText: "min_green = 6"),
        InvalidConfig(
            label: "NEMA layout mixed with groups",
            source: F.appending(
                "[nema]\nring1 = [2]\nbarriers = [[2]]\n[[nema.phases]]\nnumber = 2\nkind = \"vehicle\"\n"
                    + "min_green = 7\nmax_green = 30\npassage = 2.0\namber = 3.0\nred_clearance = 2.0"
            ),
            kind: .layout, field: "groups", fragment: "[nema] compiles groups", lineText: "[[groups]]"),
        InvalidConfig(
            label: "TOML syntax error", source: F.replacing("amber = 3.0", with: "amber = = 3.0"),
            kind: .syntax, field: "", fragment: "expected a value", lineText: "amber = = 3.0"),
    ]

    @Test(arguments: cases)
    func isRejectedWithFieldMessageAndLine(_ invalid: InvalidConfig) {
        let problems = ConfigFixture.problems(invalid.source)
        let match = problems.first { $0.kind == invalid.kind && $0.field == invalid.field }
        guard let match else {
            Issue.record(
                "no \(invalid.kind) problem at \(invalid.field); got:\n\(Self.listing(problems))"
            )
            return
        }
        #expect(match.message.contains(invalid.fragment), "message: \(match.message)")
        if let text = invalid.lineText {
            let expected = ConfigFixture.line(containing: text, occurrence: invalid.occurrence, in: invalid.source)
            #expect(expected != nil, "test text not in source")
            #expect(match.line == expected, "\(match)")
        }
    }

    static func listing(_ problems: [ConfigProblem]) -> String {
        problems.map(\.description).joined(separator: "\n")
    }

    @Test func fixtureIsValid() {
        #expect(ConfigFixture.problems(ConfigFixture.valid).isEmpty)
    }

    @Test func tableHasAtLeastTwentyCases() {
        #expect(Self.cases.count >= 20)
    }

    @Test func syntaxErrorCarriesTheParsersColumn() {
        let problems = ConfigFixture.problems(F.replacing("amber = 3.0", with: "amber = = 3.0"))
        #expect(problems.count == 1)
        // The second "=", where a value was expected.
        #expect(problems.first?.column == 9)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let source = F.replacing(
            "amber = 3.0", with: "amber = 2.0", in: F.replacing("max_green = 25", with: "max_green = 4"))
        let kinds = ConfigFixture.problems(source).map(\.kind)
        #expect(kinds.contains(.junction(.amberBelowFloor)))
        #expect(kinds.contains(.junction(.minGreenAboveMax)))
    }

    @Test func problemsComeInLineOrder() {
        let source = F.replacing("offset = 0", with: "offset = 99", in: F.replacing("amber = 3.0", with: "amber = 2.0"))
        let lines = ConfigFixture.problems(source).compactMap(\.line)
        #expect(lines.count >= 2)
        #expect(lines == lines.sorted())
    }

    @Test func aFloorOf2Point7AllowsAmberOf2Point8() throws {
        let source = F.replacing(
            "name = \"fixture\"", with: "name = \"fixture\"\namber_floor = 2.7",
            in: F.replacing("amber = 3.0", with: "amber = 2.8"))
        let configuration = try JunctionConfigLoader().load(source: source)
        #expect(configuration.amberFloor == 27)
        #expect(configuration.junction.groups[0].timing.clearance == 28)
    }
}
