import Testing

@testable import Diagnostics

@Suite struct JSONParserTests {
    let parser = JSONParser(limits: .request)

    @Test func readsEveryKindOfValue() throws {
        let value = try parser.parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": "x\ny\u00e9\ud83d\ude00"} "#)
        #expect(value["a"] == .array([.integer(1), .integer(-2), .number(3.5), .number(1000), .bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x\ny\u{e9}\u{1F600}"))
    }

    @Test func aWholeNumberTooBigForIntIsANumber() throws {
        #expect(try parser.parse("9223372036854775807") == .integer(Int.max))
        #expect(try parser.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }

    @Test(arguments: [
        "", "   ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "'a'", "{a:1}", "// c\n1",
        "\"unterminated", "\"tab\there\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12\"", "tru", "nul",
        "{\"a\":1 \"b\":2}", "[1 2]", "{\"a\" 1}", "1 2", "{\"a\":1}x", "1e999",
    ])
    func rejectsWhatStrictJSONRejects(text: String) {
        #expect(throws: JSONParseError.self) { try parser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.invalidUTF8(offset: 0)) { try parser.parse(bytes) }
    }

    @Test func rejectsDuplicateKeys() {
        #expect(throws: JSONParseError.duplicateKey("a", offset: 8)) { try parser.parse(#"{"a":1, "a":2}"#) }
    }

    @Test func nestingIsBoundedAtTheLimit() throws {
        let limits = JSONLimits(maxBytes: 1000, maxDepth: 3, maxStringBytes: 10, maxMembers: 10)
        let parser = JSONParser(limits: limits)
        _ = try parser.parse("[[[1]]]")
        #expect(throws: JSONParseError.tooDeep(limit: 3, offset: 3)) { try parser.parse("[[[[1]]]]") }
        #expect(throws: JSONParseError.self) { try parser.parse("{\"a\":{\"b\":{\"c\":{}}}}") }
    }

    @Test func deepNestingFromAHostileLineFailsWithoutRecursingFar() {
        let hostile = String(repeating: "[", count: 100_000)
        let parser = JSONParser(limits: JSONLimits(maxBytes: 200_000, maxDepth: 8, maxStringBytes: 10, maxMembers: 10))
        #expect(throws: JSONParseError.tooDeep(limit: 8, offset: 8)) { try parser.parse(hostile) }
    }

    @Test func stringsMembersAndLengthAreBounded() {
        let limits = JSONLimits(maxBytes: 40, maxDepth: 4, maxStringBytes: 5, maxMembers: 3)
        let parser = JSONParser(limits: limits)
        #expect(throws: JSONParseError.stringTooLong(limit: 5, offset: 0)) { try parser.parse("\"abcdef\"") }
        #expect((try? parser.parse("\"abcde\"")) == .string("abcde"))
        #expect(throws: JSONParseError.tooManyMembers(limit: 3, offset: 7)) { try parser.parse("[1,2,3,4]") }
        #expect(throws: JSONParseError.tooLong(bytes: 41, limit: 40)) { try parser.parse(String(repeating: " ", count: 41)) }
    }

    @Test func serialisedValuesReadBackEqual() throws {
        var random = TestRandom(seed: 7)
        let parser = JSONParser(limits: .response)
        for _ in 0..<2000 {
            let value = Self.randomValue(&random, depth: 0)
            let text = value.serialized
            #expect(!text.contains("\n"))
            #expect(try parser.parse(text) == value, "\(text)")
        }
    }

    @Test func randomBytesAndMutatedRequestsNeverTrap() {
        var random = TestRandom(seed: 42)
        let seeds = [#"{"v":1,"id":3,"cmd":"events","since":10,"limit":5}"#, #"{"cmd":"call","detector":"N_stop"}"#]
        var rejected = 0
        for round in 0..<20_000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<(1 + random.below(4)) {
                let position = random.below(bytes.count + 1)
                switch random.below(3) {
                case 0: bytes.insert(UInt8(random.below(256)), at: position)
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: if position < bytes.count { bytes[position] = UInt8(random.below(256)) }
                }
            }
            if (try? parser.parse(bytes)) == nil { rejected += 1 }
        }
        // Most mutations break the JSON; the point is that none of them trapped.
        #expect(rejected > 10_000)
    }

    static func randomValue(_ random: inout TestRandom, depth: Int) -> JSONValue {
        switch random.below(depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2: return .integer(Int(truncatingIfNeeded: random.next()) >> random.below(64))
        case 3: return .number(Double(random.below(1_000_000)) / 64 + 0.5)
        case 4:
            let scalars: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "\u{7F}", "é", "\u{1F600}", " ", "/"]
            return .string(String((0..<random.below(12)).map { _ in scalars[random.below(scalars.count)] }))
        case 5: return .array((0..<random.below(4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            return .object((0..<random.below(4)).map { index in JSONMember("k\(index)", randomValue(&random, depth: depth + 1)) })
        }
    }
}
