import TOML
import Testing

@Suite struct TOMLReaderTests {
    static let table: TOMLTable = {
        let source = """
            name = "A"
            amber = 3.5
            cycle = 90
            flag = true
            list = [1, 2, 3]
            sub = { x = 1 }
            mode = "fixed"
            extra = 1
            day = 2026-08-17
            """
        return try! TOMLParser.parse(source)
    }()

    @Test func typedLookupsReadWhatIsThere() {
        var reader = TOMLReader(Self.table)
        #expect(reader.string("name") == "A")
        #expect(reader.number("amber") == 3.5)
        #expect(reader.number("cycle") == 90)
        #expect(reader.integer("cycle", in: 1...120) == 90)
        #expect(reader.bool("flag") == true)
        #expect(reader.array("list", limit: 3)?.compactMap(\.int) == [1, 2, 3])
        #expect(reader.table("sub")?["x"]?.int == 1)
        #expect(reader.choice("mode", ["fixed": 1, "actuated": 2]) == 1)
        #expect(reader.dateTime("day")?.date == .init(year: 2026, month: 8, day: 17))
        #expect(reader.string("absent") == nil)
        #expect(reader.takeProblems().isEmpty)
    }

    @Test func problemsNameTheKeyItsPlaceAndWhatIsWrong() {
        var reader = TOMLReader(Self.table)
        #expect(reader.integer("name") == nil)
        #expect(reader.integer("cycle", in: 1...60, unit: "s") == nil)
        #expect(reader.array("list", limit: 2) == nil)
        #expect(reader.choice("mode", ["actuated": 2]) == nil)
        #expect(reader.string("missing", required: true) == nil)
        let problems = reader.takeProblems()
        #expect(problems.map(\.kind) == [.wrongType, .outOfRange, .tooMany, .invalidValue, .missingKey])
        #expect(problems[0] == TOMLReadProblem(
            kind: .wrongType, key: "name", position: TOMLPosition(line: 1, column: 1),
            message: "expected a whole number, found string"))
        #expect(problems[1].message == "cycle 90 is outside 1–60 s")
        #expect(problems[2].message == "at most 2 entries are allowed, found 3")
        #expect(problems[3].message == "\"fixed\" is not one of: actuated")
        #expect(problems[4].message == "missing required key \"missing\"")
        #expect(problems[4].position == nil)
        #expect(reader.takeProblems().isEmpty)
    }

    @Test func aLargeTableStillReportsItsUnknownKeysInOrder() throws {
        // The reader once searched a list of asked keys on each lookup; a set must not change what
        // is reported: unknown keys in source order, known keys once each, in the order first asked.
        let count = 5_000
        let source = (0..<count).map { "k\($0) = \($0)" }.joined(separator: "\n")
        var reader = TOMLReader(try TOMLParser.parse(source))
        for index in stride(from: count - 1, through: 0, by: -1) where index % 1000 != 7 {
            #expect(reader.integer("k\(index)") == index)
            _ = reader.value("k\(index)")
        }
        _ = reader.value("absent")
        #expect(reader.asked.count == count - 5 + 1)
        #expect(reader.asked.prefix(2) == ["k4999", "k4998"])
        #expect(reader.asked.last == "absent")
        reader.rejectUnknownKeys()
        let problems = reader.takeProblems()
        #expect(problems.map(\.key) == ["k7", "k1007", "k2007", "k3007", "k4007"])
        #expect(problems.allSatisfy { $0.kind == .unknownKey })
        #expect(problems.first?.position?.line == 8)
        #expect(problems.first?.message.hasPrefix("unknown key \"k7\"; known keys: k4999, k4998, k4997") == true)
        #expect(problems.first?.message.hasSuffix("k1, k0, absent") == true)
    }

    @Test func keysNobodyAskedForAreUnknown() {
        var reader = TOMLReader(Self.table)
        for key in ["name", "amber", "cycle", "flag", "list", "sub", "mode", "day"] { _ = reader.value(key) }
        #expect(!reader.hasProblems)
        reader.rejectUnknownKeys(context: "a test")
        let problems = reader.takeProblems()
        #expect(problems.count == 1)
        #expect(problems.first?.kind == .unknownKey)
        #expect(problems.first?.position?.line == 8)
        #expect(problems.first?.message.hasPrefix("unknown key \"extra\" for a test; known keys: name, amber, cycle") == true)
    }
}
