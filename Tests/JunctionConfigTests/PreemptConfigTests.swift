import JunctionConfig
import SignalCore
import Testing

private typealias F = ConfigFixture

/// `[[preempt]]` and the `preempt` detector function: read, resolved, and refused when wrong, with
/// the line named.
@Suite struct PreemptConfigTests {
    static let preempt = """

        [[detectors]]
        name = "EV"
        function = "preempt"

        [[preempt]]
        name = "ambulance"
        number = 1
        input = "EV"
        dwell_stage = "S2"
        exit_stage = "S1"
        min_green = 4.0
        min_dwell = 12.5
        max_presence = 180

        """

    static let source = F.valid + preempt

    static func edited(_ old: String, _ new: String) -> String { F.replacing(old, with: new, in: source) }

    @Test func readAndResolved() throws {
        let junction = try JunctionConfigLoader().load(source: Self.source, name: "test.toml").junction
        #expect(junction.detectors[2].function == .preempt && junction.detectors[2].groups.isEmpty)
        #expect(
            junction.preempts == [
                Preempt(
                    number: 1, name: "ambulance", input: 2, dwellStage: 1, exitStage: 0, minGreen: 40, minDwell: 125,
                    maxPresence: 1800)
            ])
    }

    @Test func cirebonHasAPreemptInput() throws {
        let junction = try ExampleFiles.load("cirebon-4arm.toml").junction
        let preempt = try #require(junction.preempts.first)
        #expect(junction.detectors[preempt.input].function == .preempt)
        #expect(junction.stages[preempt.dwellStage].name == "S1" && junction.stages[preempt.exitStage].name == "S3")
    }

    @Test(arguments: [
        InvalidConfig(
            label: "unknown key", source: edited("min_dwell = 12.5", "min_dwell = 12.5\ndwell = 3"),
            kind: .unknownKey, field: "preempt.ambulance.dwell", fragment: "dwell", lineText: "dwell = 3"),
        InvalidConfig(
            label: "no such dwell stage", source: edited("dwell_stage = \"S2\"", "dwell_stage = \"S9\""),
            kind: .unknownName, field: "preempt.ambulance.dwell_stage", fragment: "\"S9\" is not a stage",
            lineText: nil),
        InvalidConfig(
            label: "no such exit stage", source: edited("exit_stage = \"S1\"", "exit_stage = \"S7\""),
            kind: .unknownName, field: "preempt.ambulance.exit_stage", fragment: "\"S7\" is not a stage",
            lineText: nil),
        InvalidConfig(
            label: "input not a preempt detector", source: edited("input = \"EV\"", "input = \"DA\""),
            kind: .junction(.preemptInput), field: "preempt.ambulance.input", fragment: "not a detector with function",
            lineText: "input = \"DA\""),
        InvalidConfig(
            label: "min green below the amber floor", source: edited("min_green = 4.0", "min_green = 2.0"),
            kind: .junction(.preemptTimingOutOfRange), field: "preempt.ambulance.min_green",
            fragment: "2.0 s is outside 3.0", lineText: "min_green = 2.0"),
        InvalidConfig(
            label: "min dwell of nothing", source: edited("min_dwell = 12.5", "min_dwell = 0"),
            kind: .junction(.preemptTimingOutOfRange), field: "preempt.ambulance.min_dwell",
            fragment: "outside 1.0–255.0 s", lineText: "min_dwell = 0"),
        InvalidConfig(
            label: "max presence within the min dwell", source: edited("max_presence = 180", "max_presence = 10"),
            kind: .junction(.preemptTimingOutOfRange), field: "preempt.ambulance.max_presence",
            fragment: "must exceed the min dwell", lineText: "max_presence = 10"),
        InvalidConfig(
            label: "number zero", source: edited("number = 1", "number = 0"),
            kind: .junction(.preemptNumber), field: "preempt.ambulance.number", fragment: "outside 1–255",
            lineText: "number = 0"),
        InvalidConfig(
            label: "number used twice",
            source: source + """

                [[preempt]]
                name = "fire"
                number = 1
                input = "EV"
                dwell_stage = "S1"
                exit_stage = "S1"
                min_green = 4.0
                min_dwell = 10
                max_presence = 60

                """,
            kind: .junction(.preemptNumber), field: "preempt.fire.number", fragment: "already preempt ambulance",
            lineText: "number = 1", occurrence: 2),
        InvalidConfig(
            label: "preempt detector with groups",
            source: edited("name = \"EV\"\nfunction = \"preempt\"", "name = \"EV\"\nfunction = \"preempt\"\ngroups = [\"A\"]"),
            kind: .junction(.preemptInput), field: "detectors.EV.groups", fragment: "may serve no group",
            lineText: "groups = [\"A\"]", occurrence: 3),
        InvalidConfig(
            label: "missing min dwell", source: edited("min_dwell = 12.5\n", ""),
            kind: .missingKey, field: "preempt.ambulance.min_dwell", fragment: "min_dwell", lineText: nil),
    ])
    func isRefusedWithTheLine(_ invalid: InvalidConfig) {
        InvalidConfigTests().isRejectedWithFieldMessageAndLine(invalid)
    }

    @Test func exitStageOutsideTheSequenceIsRefused() {
        let source = F.replacing("name = \"fixture\"", with: "name = \"fixture\"\nsequence = [\"S1\", \"S2\"]", in: Self.source)
            + "\n[[stages]]\nname = \"EVONLY\"\ngroups = [\"A\"]\n"
        let outside = source.replacingOccurrences(of: "exit_stage = \"S1\"", with: "exit_stage = \"EVONLY\"")
        #expect(ConfigFixture.problems(outside).contains { $0.kind == .junction(.preemptStage) })
        // A dwell stage outside the sequence is allowed: a stage for emergency vehicles alone.
        let dwellOnly = source.replacingOccurrences(of: "dwell_stage = \"S2\"", with: "dwell_stage = \"EVONLY\"")
        #expect(ConfigFixture.problems(dwellOnly).isEmpty, "\(ConfigFixture.problems(dwellOnly))")
    }
}
