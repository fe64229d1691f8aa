import TOML
import Testing

/// A TOML text the parser must accept; tomllib must read it the same (TOMLDifferentialTests).
struct ValidCase: Sendable, CustomTestStringConvertible {
    var label: String
    var source: String
    var testDescription: String { label }
}

/// A TOML text the parser must refuse, with the kind and place of the problem.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    var label: String
    var source: String
    var kind: TOMLSyntaxError.Kind
    var line: Int
    var column: Int
    /// False where Python's tomllib is laxer than TOML 1.0 (it takes integers beyond 64 bits, which
    /// the specification says must be an error); TOMLDifferentialTests leaves those out.
    var tomllibRefuses = true
    var testDescription: String { label }
}

@Suite struct TOMLParserTests {
    static let validCases: [ValidCase] = [
        ValidCase(label: "empty", source: ""),
        ValidCase(label: "comments and blank lines", source: "# a\n\n  # b\na = 1 # c\n"),
        ValidCase(label: "bare, quoted and dotted keys", source: "a-b_1 = 1\n\"a b\" = 2\n'c.d' = 3\ne . f.\"g\" = 4\n1234 = 5\n\"\" = 6\n"),
        ValidCase(label: "decimal integers", source: "a = 0\nb = +17\nc = -17\nd = 1_000_000\ne = 9223372036854775807\nf = -9223372036854775808\ng = -0\n"),
        ValidCase(label: "hex, octal and binary", source: "a = 0xDEAD_beef\nb = 0o755\nc = 0b1101_0101\nd = 0x00ff\n"),
        ValidCase(label: "floats", source: "a = 3.14\nb = -0.01\nc = 5e+22\nd = 1e06\ne = -2E-2\nf = 6.626e-34\ng = 224_617.445_991\nh = 0.0\ni = -0.0\nj = 1e400\n"),
        ValidCase(label: "inf and nan", source: "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\n"),
        ValidCase(label: "booleans", source: "a = true\nb = false\n"),
        ValidCase(label: "basic string escapes", source: #"a = "tab\t nl\n cr\r bs\b ff\f q\" bsl\\ u\u00E9 U\U0001F600""# + "\n"),
        ValidCase(label: "literal strings", source: "a = 'C:\\Users\\x'\nb = '<\\i\\c*\\s*>'\nc = 'tab\there'\n"),
        ValidCase(label: "multi-line basic", source: "a = \"\"\"\nRoses\nViolets\"\"\"\nb = \"\"\"one \\\n    two \\\n\n    three\"\"\"\nc = \"\"\"q\"\"\"\"\"\nd = \"\"\"\"q\"\"\"\n"),
        ValidCase(label: "multi-line literal", source: "a = '''\nfirst\n  second\\n'''\nb = ''''q''''\nc = '''x''y'''\n"),
        ValidCase(label: "CR LF line ends", source: "a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\n[t]\r\nc = 2\r\n"),
        ValidCase(label: "local date (holidays)", source: "holidays = [2026-08-17, 2026-12-25]\nleap = 2024-02-29\n"),
        ValidCase(label: "local time", source: "a = 07:32:00\nb = 00:32:00.999999\nc = 23:59:59.123456789\n"),
        ValidCase(label: "local date-time", source: "a = 1979-05-27T07:32:00\nb = 1979-05-27 07:32:00.5\nc = 1979-05-27t07:32:00\n"),
        ValidCase(label: "offset date-time", source: "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999+05:45\nd = 1979-05-27 07:32:00z\n"),
        ValidCase(label: "arrays", source: "a = []\nb = [1, 2, 3,]\nc = [\n  1, # one\n  'x',\n  [2.5, true],\n  { k = 1 },\n]\nd = [[1, 2], [\"a\"]]\n"),
        ValidCase(label: "inline tables", source: "a = {}\nb = { x = 1, y.z = 2, \"q r\" = { s = [1] } }\n"),
        ValidCase(label: "tables", source: "[a]\nx = 1\n[b.c]\ny = 2\n[b]\nz = 3\n[ d . 'e' ]\n"),
        ValidCase(label: "arrays of tables", source: "[[p]]\nn = 1\n[p.sub]\nq = 1\n[[p.list]]\nr = 1\n[[p]]\nn = 2\n[[p.list]]\nr = 2\n"),
        ValidCase(label: "dotted keys then a sub-table", source: "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n"),
        ValidCase(label: "dotted keys in an implicit table", source: "[a.b.c]\nz = 1\n[a]\nb.d = 2\n"),
        ValidCase(label: "header over dotted-key root", source: "a.b = 1\n[a.c]\nd = 2\n"),
        ValidCase(label: "no newline at the end", source: "a = 1"),
        ValidCase(label: "unicode in strings and quoted keys", source: "\"kéy\" = \"Jalan Siliwangi — ☕\"\n"),
    ]

    static let invalidCases: [InvalidCase] = [
        InvalidCase(label: "key defined twice", source: "a = 1\na = 2\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "quoted key same as bare", source: "a = 1\n\"a\" = 2\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "table defined twice", source: "[a]\nx = 1\n[a]\ny = 2\n", kind: .redefinition, line: 3, column: 1),
        InvalidCase(label: "header on a dotted-key table", source: "[fruit]\napple.color = 1\n[fruit.apple]\n", kind: .redefinition, line: 3, column: 1),
        InvalidCase(label: "dotted key into a header table", source: "[a.b]\nx = 1\n[a]\nb.y = 2\n", kind: .redefinition, line: 4, column: 1),
        InvalidCase(label: "value then table", source: "a = 1\n[a]\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "value then dotted key", source: "a = 1\na.b = 2\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "array of tables over a static array", source: "a = []\n[[a]]\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "table over an array of tables", source: "[[a]]\n[a]\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "array of tables over a table", source: "[a]\n[[a]]\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "extending an inline table", source: "a = { b = 1 }\n[a.c]\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "extending an inline table by a dotted key", source: "a = { b = 1 }\na.c = 2\n", kind: .redefinition, line: 2, column: 1),
        InvalidCase(label: "duplicate key in an inline table", source: "a = { b = 1, b = 2 }\n", kind: .redefinition, line: 1, column: 14),
        InvalidCase(label: "missing value", source: "a =\n", kind: .syntax, line: 1, column: 4),
        InvalidCase(label: "missing equals", source: "a 1\n", kind: .syntax, line: 1, column: 3),
        InvalidCase(label: "two pairs on a line", source: "a = 1 b = 2\n", kind: .syntax, line: 1, column: 7),
        InvalidCase(label: "empty bare key", source: "= 1\n", kind: .syntax, line: 1, column: 1),
        InvalidCase(label: "unterminated string", source: "a = \"abc\nb = 1\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "unterminated multi-line string", source: "a = \"\"\"abc\n\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "unknown escape", source: "a = \"\\q\"\n", kind: .syntax, line: 1, column: 6),
        InvalidCase(label: "short unicode escape", source: "a = \"\\u12\"\n", kind: .syntax, line: 1, column: 6),
        InvalidCase(label: "surrogate escape", source: "a = \"\\uD800\"\n", kind: .syntax, line: 1, column: 6),
        InvalidCase(label: "six quotes end a multi-line string", source: "a = \"\"\"x\"\"\"\"\"\"\n", kind: .syntax, line: 1, column: 9),
        InvalidCase(label: "leading zero", source: "a = 012\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "double underscore", source: "a = 1__000\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "trailing underscore", source: "a = 1_\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "integer overflow", source: "a = 9223372036854775808\n", kind: .syntax, line: 1, column: 5,
            tomllibRefuses: false),
        InvalidCase(label: "signed hex", source: "a = +0x10\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "float without fraction digits", source: "a = 1.\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "float without integer part", source: "a = .5\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "float exponent without digits", source: "a = 1e\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "no such day", source: "a = 2026-02-29\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "hour 24", source: "a = 24:00:00\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "time without seconds", source: "a = 07:32\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "bad offset", source: "a = 1979-05-27T07:32:00+7:00\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "wrong boolean case", source: "a = True\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "trailing comma in an inline table", source: "a = { b = 1, }\n", kind: .syntax, line: 1, column: 14),
        InvalidCase(label: "newline in an inline table", source: "a = { b = 1,\nc = 2 }\n", kind: .syntax, line: 1, column: 13),
        InvalidCase(label: "array without comma", source: "a = [1 2]\n", kind: .syntax, line: 1, column: 8),
        InvalidCase(label: "unclosed array", source: "a = [1,\n", kind: .syntax, line: 2, column: 1),
        InvalidCase(label: "space inside ]]", source: "[[a] ]\n", kind: .syntax, line: 1, column: 4),
        InvalidCase(label: "header without key", source: "[]\n", kind: .syntax, line: 1, column: 2),
        InvalidCase(label: "text after a header", source: "[a] b = 1\n", kind: .syntax, line: 1, column: 5),
        InvalidCase(label: "multi-line key", source: "\"\"\"a\"\"\" = 1\n", kind: .syntax, line: 1, column: 1),
        InvalidCase(label: "non-ASCII bare key", source: "é = 1\n", kind: .syntax, line: 1, column: 1),
        InvalidCase(label: "control character in a comment", source: "a = 1 # \u{7}\n", kind: .forbiddenCharacter, line: 1, column: 9),
        InvalidCase(label: "NUL in a string", source: "a = \"x\0\"\n", kind: .forbiddenCharacter, line: 1, column: 7),
        InvalidCase(label: "lone carriage return", source: "a = 1\rb = 2\n", kind: .forbiddenCharacter, line: 1, column: 6),
        InvalidCase(label: "escape character raw", source: "a = 'é\u{1B}'\n", kind: .forbiddenCharacter, line: 1, column: 7),
    ]

    @Test(arguments: validCases)
    func validTextIsAccepted(_ valid: ValidCase) {
        #expect(throws: Never.self) { _ = try TOMLParser.parse(valid.source) }
    }

    @Test(arguments: invalidCases)
    func invalidTextIsRefusedWhereItIsWrong(_ invalid: InvalidCase) {
        do {
            let document = try TOMLParser.parse(invalid.source)
            Issue.record("accepted: \(document)")
        } catch {
            #expect(error.kind == invalid.kind, "\(error)")
            #expect(error.position == TOMLPosition(line: invalid.line, column: invalid.column), "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func valuesHaveTypesAndPositions() throws {
        let source = """
            title = "Cirebon"   # name
            [timing]
            amber = 3.0
            cycle = 0x3C
            flags = [true, false]
            holiday = 2026-08-17
            start = 1979-05-27T07:32:00.25-07:00

            [[groups]]
              name = "é-A"
            """
        let document = try TOMLParser.parse(source)
        #expect(document.keys == ["title", "timing", "groups"])
        #expect(document["title"]?.string == "Cirebon")
        #expect(document["title"]?.position == TOMLPosition(line: 1, column: 1))
        let timing = try #require(document["timing"])
        #expect(timing.position == TOMLPosition(line: 2, column: 1))
        let table = try #require(timing.table)
        #expect(table.keys == ["amber", "cycle", "flags", "holiday", "start"])
        #expect(table["amber"]?.double == 3.0)
        #expect(table["amber"]?.int == nil)
        #expect(table["cycle"]?.int == 60)
        #expect(table["flags"]?.array?.map(\.bool) == [true, false])
        #expect(table["flags"]?.array?[1].position == TOMLPosition(line: 5, column: 16))
        #expect(table["holiday"]?.dateTime == TOMLDateTime(date: .init(year: 2026, month: 8, day: 17), time: nil))
        #expect(table["holiday"]?.type == "local date")
        let start = try #require(table["start"]?.dateTime)
        #expect(start.time == .init(hour: 7, minute: 32, second: 0, nanosecond: 250_000_000))
        #expect(start.offsetMinutes == -420)
        let groups = try #require(document["groups"]?.array)
        #expect(groups.count == 1)
        #expect(groups[0].position == TOMLPosition(line: 9, column: 1))
        #expect(groups[0].table?["name"]?.position == TOMLPosition(line: 10, column: 3))
        #expect(groups[0].table?["name"]?.string == "é-A")
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(throws: TOMLSyntaxError.self) { try TOMLParser.parse("a = \"é\" b") }
        do {
            _ = try TOMLParser.parse("a = \"éé\" b")
        } catch {
            #expect(error.position == TOMLPosition(line: 1, column: 10))
        }
    }

    @Test func integersAtTheEdgesOf64Bits() throws {
        let document = try TOMLParser.parse("a = 9223372036854775807\nb = -9223372036854775808\nc = 0x7FFFFFFFFFFFFFFF\n")
        #expect(document["a"]?.int == Int.max)
        #expect(document["b"]?.int == Int.min)
        #expect(document["c"]?.int == Int.max)
        #expect(throws: TOMLSyntaxError.self) { try TOMLParser.parse("a = 0x8000000000000000") }
    }

    @Test func stringsKeepWhatTheEscapesSay() throws {
        let document = try TOMLParser.parse("a = \"\\u00E9\\t\\U0001F600\"\nb = \"\"\"\n  x \\\n   y\"\"\"\nc = 'no\\escape'\n")
        #expect(document["a"]?.string == "é\t😀")
        #expect(document["b"]?.string == "  x y")
        #expect(document["c"]?.string == "no\\escape")
    }

    @Test func errorsNameTheFirstDefinition() {
        do {
            _ = try TOMLParser.parse("[a]\nx = 1\n\n[a]\n")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "line 4, column 1: a is already defined at line 1, column 1")
        }
    }

    @Test func aKeyDefinedTwiceInAnArrayOfTablesNamesTheEntry() {
        let source = "[[groups]]\nname = \"A\"\n[[groups]]\nname = \"B\"\namber = 3\namber = 4\n"
        do {
            _ = try TOMLParser.parse(source)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .redefinition)
            #expect(error.description == "line 6, column 1: groups.#2.amber is defined twice (first at line 5, column 1)")
        }
        do {
            _ = try TOMLParser.parse("[[a]]\n[[a]]\n[a.b]\nx = 1\nx = 2\n")
            Issue.record("accepted")
        } catch {
            #expect(error.message == "a.#2.b.x is defined twice (first at line 4, column 1)")
        }
        do {
            _ = try TOMLParser.parse("[\"a b\"]\nx = 1\nx.y = 2\n")
            Issue.record("accepted")
        } catch {
            #expect(error.message.hasPrefix("\"a b\".x already holds an integer"))
        }
    }

    @Test func aLeadingByteOrderMarkIsSkipped() throws {
        let document = try TOMLParser.parse("\u{FEFF}a = 1\n")
        #expect(document.keys == ["a"])
        #expect(document["a"]?.position == TOMLPosition(line: 1, column: 1))
        // Only at the very start: anywhere else it is a character that TOML does not allow there.
        #expect(throws: TOMLSyntaxError.self) { try TOMLParser.parse("\u{FEFF}\u{FEFF}a = 1\n") }
        #expect(throws: TOMLSyntaxError.self) { try TOMLParser.parse("a = 1\n\u{FEFF}b = 2\n") }
    }

    // MARK: - Limits

    @Test func keyPathsDeeperThanTheLimitAreRefused() {
        let limits = TOMLLimits(deepestKeyPath: 3, deepestNesting: 3)
        #expect(throws: Never.self) { try TOMLParser.parse("[a.b]\nc = 1\n[d]\nx = { y = 1 }", limits: limits) }
        for source in ["[a.b.c.d]", "[a.b]\nc.d = 1", "[a]\nb = { c = { d = 1 } }"] {
            do {
                _ = try TOMLParser.parse(source, limits: limits)
                Issue.record("accepted \(source)")
            } catch {
                #expect(error.kind == .tooDeep, "\(source): \(error)")
            }
        }
    }

    @Test func nestingDeeperThanTheLimitIsRefusedWithoutRecursingFurther() {
        // A million brackets would overflow the stack of a parser that recursed on each.
        let deep = "a = " + String(repeating: "[", count: 1_000_000)
        do {
            _ = try TOMLParser.parse(deep)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .tooDeep)
            #expect(error.position == TOMLPosition(line: 1, column: 5 + TOMLLimits().deepestNesting))
        }
        #expect(throws: Never.self) {
            try TOMLParser.parse("a = " + String(repeating: "[", count: 32) + String(repeating: "]", count: 32))
        }
    }

    @Test func aLongHeaderIsRefusedAtTheFirstKeyTooMany() {
        let header = "[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]"
        do {
            _ = try TOMLParser.parse(header)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .tooDeep)
            #expect(error.position.column == 2 + 2 * TOMLLimits().deepestKeyPath)
        }
    }
}
