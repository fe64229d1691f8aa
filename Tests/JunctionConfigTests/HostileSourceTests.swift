import JunctionConfig
import SignalCore
import Testing

private typealias F = ConfigFixture

/// Text a careless or hostile user could write (issue 13): control characters, nesting built to
/// be slow, a missing `[junction]`, duplicate names, names that act on a terminal. Each is refused
/// with one clear problem, and no problem's text carries what it quotes raw.
@Suite struct HostileSourceTests {
    // MARK: - Control characters (defect 2)

    @Test(arguments: [("\0", "NUL"), ("\u{1B}", "U+001B"), ("\u{07}", "U+0007"), ("\u{7F}", "U+007F")])
    func aControlCharacterIsRefusedAtItsLineAndColumn(_ character: String, _ named: String) {
        // In a comment, where a parser that stops at the character would still accept the file.
        let source = F.replacing("[[plans]]", with: "[[plans]] # plan\(character) one")
        let problems = F.problems(source)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == F.line(containing: "[[plans]]", in: source))
        #expect(problems.first?.column == 17)
        #expect(problems.first?.message.contains(named) == true, "\(problems)")
    }

    @Test func anEscapedNulIsRefused() {
        // TOMLKit handed strings over as C strings (the name was read as "fix"); C libraries still would.
        let problems = F.problems(F.replacing("name = \"fixture\"", with: #"name = "fix\u0000ture""#))
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == 2)
        #expect(problems.first?.message.contains("NUL") == true, "\(problems)")
    }

    // MARK: - Nesting (defect 8)

    static let tooDeep = "more than 8 keys"

    @Test func aHundredKilobyteHeaderIsRefusedBeforeParsing() {
        // 100 KB of `[a.a.a…]` took 51 s: the line finder's work grew with the square of the depth.
        // The parser stops at the ninth key, so the rest of the header is never read.
        let header = "[" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "]"
        let source = F.appending(header)
        let problems = F.problems(source)
        #expect(problems.count == 1)
        #expect(problems.first?.line == F.line(containing: "[a.a.a", in: source))
        #expect(problems.first?.message.contains(Self.tooDeep) == true, "\(problems.first?.message.prefix(200) ?? "")")
    }

    @Test(arguments: [
        "[junction.a.b.c.d.e.f.g.h]",
        "[[plans.a.b.c.d.e.f.g.h]]",
        "[startup.\"a\".'b'.c . d.e.f.g.h]",
        "[startup]\na.b.c.d.e.f.g.h = 1",
        "[startup]\nx = { a = 1, b = { c = { d = { e = { f = { g = { h = 1 } } } } } } }",
        "[startup]\nx = [[[[[[[[[1]]]]]]]]]",
    ])
    func nestingBeyondEightIsRefused(_ text: String) {
        let source = F.appending(text)
        let problems = F.problems(source)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == F.line(containing: String(text.split(separator: "\n").last!), in: source))
        #expect(problems.first.map { $0.message.contains("more than 8") } == true, "\(problems)")
    }

    @Test(arguments: [
        "[junction.a.b.c.d.e.f.g]",
        "[startup]\na.b.c.d.e.f.g = 1",
        "[startup]\nx = [[[[[[[[1]]]]]]]]",
        "[startup]\nx = \"[a.b.c.d.e.f.g.h.i.j]\" # [a.b.c.d.e.f.g.h.i.j]",
        "[startup]\nx = '''\n[a.b.c.d.e.f.g.h.i.j]\n'''",
        "[startup]\nx = \"\"\"\n\\\"\"\"\n[a.b.c.d.e.f.g.h.i.j]\n\"\"\"",
    ])
    func nestingUpToEightAndTextInStringsPassOnToTheParser(_ text: String) {
        // Each is wrong in another way (unknown keys), which the loader reports after parsing.
        let problems = F.problems(F.appending(text))
        #expect(!problems.isEmpty)
        #expect(!problems.contains { $0.message.contains("more than 8") }, "\(problems)")
    }

    // MARK: - Headers that aborted toml++ (found by fuzz-config)

    @Test(arguments: ["[#a]", "[=]", "[.a]", "[\u{E9}]", "[", "[[\r", "[[ #a]]", "[ !]"])
    func aHeaderNotStartingWithAKeyIsASyntaxError(_ header: String) {
        // toml++ (TOMLKit's parser) asserted that a header starts with a key, with its asserts compiled in: these
        // aborted the loader, and with it junctiond and junctionctl.
        let source = F.appending(header)
        let problems = F.problems(source)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.kind == .syntax)
        let lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(problems.first?.line == lines.firstIndex { $0.elementsEqual(header.utf8) }.map { $0 + 1 })
    }

    // MARK: - A missing [junction]

    @Test func aFileWithoutJunctionIsRefused() {
        let problems = F.problems(F.replacing("[junction]\nname = \"fixture\"\n", with: ""))
        #expect(problems.contains { $0.kind == .missingKey && $0.message.contains("missing section [junction]") })
    }

    // MARK: - Duplicate names

    struct Duplicate: Sendable, CustomTestStringConvertible {
        var label: String
        var source: String
        var field: String
        /// The name line of both entries.
        var nameLine: String
        var testDescription: String { label }
    }

    static let duplicates: [Duplicate] = [
        // Renaming B to A used to leave a dozen "B is not a group" problems and never name A.
        Duplicate(
            label: "group", source: F.replacing("name = \"B\"", with: "name = \"A\""), field: "groups.A",
            nameLine: "name = \"A\""),
        Duplicate(
            label: "stage", source: F.replacing("name = \"S2\"", with: "name = \"S1\""), field: "stages.S1",
            nameLine: "name = \"S1\""),
        Duplicate(
            label: "detector", source: F.replacing("name = \"PB\"", with: "name = \"DA\""), field: "detectors.DA",
            nameLine: "name = \"DA\""),
        Duplicate(
            label: "plan", source: F.appending("[[plans]]\nname = \"fixed\"\ncycle = 60\nsplits = [30, 30]"),
            field: "plans.fixed", nameLine: "name = \"fixed\""),
    ]

    @Test(arguments: duplicates)
    func aDuplicateNameIsOneProblemNamingBothLines(_ duplicate: Duplicate) throws {
        let problems = F.problems(duplicate.source)
        #expect(problems.count == 1, "\(InvalidConfigTests.listing(problems))")
        let problem = try #require(problems.first)
        let first = try #require(F.line(containing: duplicate.nameLine, in: duplicate.source))
        let second = try #require(F.line(containing: duplicate.nameLine, occurrence: 2, in: duplicate.source))
        #expect(problem.kind == .junction(.duplicateName))
        #expect(problem.field == duplicate.field)
        #expect(problem.message.contains("used twice (line \(first) and line \(second))"), "\(problem)")
    }

    // MARK: - Names

    /// TOML text (escapes or raw characters) that must not be part of a name.
    static let unsafeNameParts = [
        #"\u001b[31m"#, #"\u0007"#, #"\r\n"#, #"\u0085"#, "\u{202E}", "\u{2066}", "\u{200F}", #"\u202A"#,
        // Shown as nothing, so "W" and "W\u{34F}" would look alike: the combining grapheme joiner,
        // Hangul fillers and a variation selector.
        // (Escaped where a raw one would join the quote before it into one character.)
        #"\u034F"#, #"\u115F"#, "\u{3164}", #"\uFE0F"#,
    ]

    @Test(arguments: unsafeNameParts)
    func aJunctionNameWithAControlOrBidiCharacterIsRefused(_ part: String) {
        let problems = F.problems(F.replacing("name = \"fixture\"", with: "name = \"fix\(part)ture\""))
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.kind == .invalidValue)
        #expect(problems.first?.field == "junction.name")
        #expect(problems.first?.line == 2)
        #expect(problems.first.map(Self.isPrintable) == true)
    }

    @Test(arguments: unsafeNameParts)
    func aGroupNameWithAControlOrBidiCharacterIsRefused(_ part: String) {
        let source = F.replacing("name = \"P\"", with: "name = \"P\(part)\"")
        let problems = F.problems(source)
        let problem = problems.first { $0.kind == .invalidValue }
        #expect(problem?.field == "groups.#3.name", "\(problems)")
        #expect(problem?.line == F.line(containing: "name = \"P", in: source))
        #expect(problems.allSatisfy(Self.isPrintable))
    }

    /// Spaces a reader cannot see or count: "P" and "P " (or "P\u{A0}") would be two groups that
    /// look alike. The plain space inside a name stays allowed.
    @Test(arguments: [
        ("P ", "ends with a space (U+0020)"), (" P", "begins with a space (U+0020)"),
        (#"P\u00A0B"#, "contains U+00A0, a space other than the plain one"),
        (#"P\u3000B"#, "contains U+3000, a space other than the plain one"), ("P  B", "holds two spaces in a row"),
    ])
    func aGroupNameWithSpacesThatLookAlikeIsRefused(_ name: String, _ said: String) {
        let source = F.replacing("name = \"P\"", with: "name = \"\(name)\"")
        let problems = F.problems(source)
        let problem = problems.first { $0.kind == .invalidValue }
        #expect(problem?.field == "groups.#3.name", "\(problems)")
        #expect(problem?.message.contains(said) == true, "\(problems)")
        #expect(F.problems(F.replacing("name = \"P\"", with: "name = \"P B\"")).allSatisfy { $0.field != "groups.#3.name" })
    }

    /// `junctionctl call 3` takes detector number 3: a detector named "3", "01" or "+1" would be
    /// unreachable by name, and a call meant for it would reach another loop.
    @Test(arguments: ["3", "01", "+1", "-2"])
    func aDetectorNameThatReadsAsANumberIsRefused(_ name: String) {
        let source = F.replacing("name = \"DA\"", with: "name = \"\(name)\"")
        let problems = F.problems(source)
        let problem = problems.first { $0.kind == .invalidValue && $0.field.hasSuffix(".name") }
        #expect(problem?.message.contains("reads as a number") == true, "\(problems)")
        #expect(problem?.line == F.line(containing: "name = \"\(name)\"", in: source))
    }

    @Test func namesHaveAMaximumLength() {
        let longest = String(repeating: "n", count: 64)
        #expect(F.problems(F.replacing("name = \"fixture\"", with: "name = \"\(longest)\"")).isEmpty)
        for length in [65, 900_000] {
            let name = String(repeating: "n", count: length)
            let problems = F.problems(F.replacing("name = \"fixture\"", with: "name = \"\(name)\""))
            #expect(problems.count == 1)
            #expect(problems.first?.message == "name is \(length) characters long; at most 64 are allowed")
        }
    }

    @Test func aFileOfThousandsOfProblemsIsReportedInAFewLines() {
        // 30,000 unknown tables once made one reload log line of 8 MB.
        let source = F.appending((0..<3_000).map { "[x\($0)]" }.joined(separator: "\n"))
        #expect(F.problems(source).count == 3_000)
        do {
            _ = try JunctionConfigLoader().load(source: source, name: "many.toml")
            Issue.record("a file with 3000 unknown tables was accepted")
        } catch {
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == ConfigError.problemsShown + 1)
            #expect(lines.last == "many.toml: … and \(3_000 - ConfigError.problemsShown) more problems")
        }
    }

    @Test func problemsQuoteKeysEscapedAndShortened() {
        let source = F.appending("[startup]\n\"\\u001b[2J\\u202e\" = 1\n\"\(String(repeating: "k", count: 500_000))\" = 2")
        let problems = F.problems(source)
        #expect(problems.count == 2, "\(problems.map { $0.description.prefix(300) })")
        #expect(problems.allSatisfy(Self.isPrintable))
        #expect(problems.first?.field == "startup.\\u{1B}[2J\\u{202E}")
        #expect(problems.allSatisfy { $0.message.count <= ConfigProblem.longestMessage + 1 })
        #expect(problems.allSatisfy { $0.field.count <= ConfigProblem.longestField + 1 })
    }

    /// True when neither the field nor the message holds a control, format or separator character.
    static func isPrintable(_ problem: ConfigProblem) -> Bool {
        (problem.field + problem.message).unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return false
            default: return true
            }
        }
    }
}
