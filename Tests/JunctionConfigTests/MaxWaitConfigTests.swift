import JunctionConfig
import SignalCore
import Testing

private typealias F = ConfigFixture

/// The `max_wait` group key: read in seconds, a default for turn arrows only, and refused out of
/// range or on a group that never waits, with the line named.
@Suite struct MaxWaitConfigTests {
    static func groups(_ source: String) throws -> [SignalGroup] {
        try JunctionConfigLoader().load(source: source, name: "test.toml").junction.groups
    }

    @Test func readInSecondsForEveryKind() throws {
        let source = F.replacing(
            "red_amber = 1.5", with: "red_amber = 1.5\nmax_wait = 75.5",
            in: F.replacing("clearance = 9.0", with: "clearance = 9.0\nmax_wait = 120"))
        let groups = try Self.groups(source)
        #expect(groups[0].maxWait == 755)
        #expect(groups[1].maxWait == nil)
        #expect(groups[2].maxWait == 1200)
    }

    @Test func turnArrowsDefaultToNinetySecondsAndMayChooseAnother() throws {
        let arrow = F.replacing("kind = \"vehicle\"\nmin_green = 8", with: "kind = \"turn_arrow\"\nmin_green = 8")
        #expect(try Self.groups(arrow)[1].maxWait == SignalGroup.defaultTurnArrowMaxWait)
        #expect(SignalGroup.defaultTurnArrowMaxWait == 900)
        let chosen = F.replacing("amber = 3.5", with: "amber = 3.5\nmax_wait = 45", in: arrow)
        #expect(try Self.groups(chosen)[1].maxWait == 450)
    }

    /// The fixture with B conflicting with nothing and green in both stages, with a `max_wait`.
    static var alwaysGreenB: String {
        var source = F.valid
        for (old, new) in [
            ("A = [\"B\", \"P\"]", "A = [\"P\"]"), ("B = [\"A\"]\n", ""), ("A = { B = 5.0, P = 5.0 }", "A = { P = 5.0 }"),
            ("B = { A = 5.0 }\n", ""), ("name = \"S1\"\ngroups = [\"A\"]", "name = \"S1\"\ngroups = [\"A\", \"B\"]"),
            ("red_amber = 1.0", "red_amber = 1.0\nmax_wait = 60"),
        ] {
            source = F.replacing(old, with: new, in: source)
        }
        return source
    }

    @Test(arguments: [
        InvalidConfig(
            label: "max_wait under 10 s", source: F.replacing("red_amber = 1.5", with: "red_amber = 1.5\nmax_wait = 5"),
            kind: .junction(.timingOutOfRange), field: "groups.A.max_wait", fragment: "5.0 s is outside 10.0–600.0 s",
            lineText: "max_wait = 5"),
        InvalidConfig(
            label: "max_wait over ten minutes",
            source: F.replacing("clearance = 9.0", with: "clearance = 9.0\nmax_wait = 900"),
            kind: .junction(.timingOutOfRange), field: "groups.P.max_wait", fragment: "900.0 s is outside",
            lineText: "max_wait = 900"),
        InvalidConfig(
            label: "max_wait as a string",
            source: F.replacing("red_amber = 1.5", with: "red_amber = 1.5\nmax_wait = \"90\""),
            kind: .wrongType, field: "groups.A.max_wait", fragment: "expected a time in seconds",
            lineText: "max_wait = \"90\""),
        InvalidConfig(
            label: "max_wait on a group green in every stage", source: Self.alwaysGreenB,
            kind: .junction(.maxWaitNeverWaits), field: "groups.B.max_wait", fragment: "never waits",
            lineText: "max_wait = 60"),
    ])
    func isRefusedWithTheLine(_ invalid: InvalidConfig) {
        InvalidConfigTests().isRejectedWithFieldMessageAndLine(invalid)
    }
}
