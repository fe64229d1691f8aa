import Testing

@testable import Diagnostics

/// Names from a careless or hostile junction file: junctionctl must print them harmlessly and
/// still read a reply that carries a huge one (issue 13).
@Suite struct DisplayTextTests {
    static let hostile = "N\u{1B}[2J\u{07}\r\nfake line\u{202E}evil\u{2066}\u{9B}\u{7F}"

    @Test func controlAndBidiCharactersAreEscapedVisibly() {
        let shown = DisplayText.escaped(Self.hostile)
        #expect(shown == #"N\u{1B}[2J\u{7}\u{D}\u{A}fake line\u{202E}evil\u{2066}\u{9B}\u{7F}"#)
        #expect(!shown.unicodeScalars.contains(where: DisplayText.isUnsafe))
        #expect(DisplayText.escaped("Cirebon - Jl. Siliwangi x Jl. Kartini") == "Cirebon - Jl. Siliwangi x Jl. Kartini")
        #expect(DisplayText.escaped("Пешеходный переход ✓") == "Пешеходный переход ✓")
    }

    @Test func longTextIsCutWithAnEllipsisNeverInsideAnEscape() {
        #expect(DisplayText.escaped(String(repeating: "x", count: 10), limit: 10) == String(repeating: "x", count: 10))
        #expect(DisplayText.escaped(String(repeating: "x", count: 11), limit: 10) == String(repeating: "x", count: 9) + "…")
        // "ab" then an escape of 6 scalars: the cut falls inside it, so the whole escape goes.
        #expect(DisplayText.escaped("ab\u{1B}cdef", limit: 6) == "ab…")
        let huge = DisplayText.escaped(String(repeating: "n", count: 900_000))
        #expect(huge.unicodeScalars.count == DisplayText.fieldLimit && huge.hasSuffix("…"))
    }

    @Test func jsonOutputEscapesTheSameCharactersAndReadsBackWhole() throws {
        let text = JSONValue.string(Self.hostile).serialized
        #expect(!text.unicodeScalars.contains(where: DisplayText.isUnsafe))
        #expect(text.contains(#"\u202e"#) && text.contains(#"\u001b"#) && text.contains(#"\u009b"#))
        #expect(try JSONParser(limits: .response).parse(text) == .string(Self.hostile))
    }

    @Test func aStatusWithHostileAndHugeNamesIsReadAndMadeSafeToPrint() throws {
        var status = ResponseLineTests.status
        status.junction = String(repeating: "J", count: 900_000)
        status.groups[0].name = Self.hostile
        status.detectors[0].name = "loop\u{202E}1"
        status.fault?.description = "conflict\r\nmode normal"
        let line = ResponseLine.reply(id: .integer(1), "status", data: status)
        let message = try ResponseMessage.parse(line.dropLast())
        // `--json` keeps every value whole; its serialiser escapes what a terminal would act on.
        #expect(try message.decode(StatusReport.self) == status)
        let printed = try #require(message.data).serialized
        #expect(!printed.unicodeScalars.contains(where: DisplayText.isUnsafe))
        let shown = try message.decodeForDisplay(StatusReport.self)
        #expect(shown.junction == String(repeating: "J", count: DisplayText.fieldLimit - 1) + "…")
        #expect(shown.groups[0].name == DisplayText.escaped(Self.hostile))
        #expect(shown.detectors[0].name == #"loop\u{202E}1"#)
        #expect(shown.fault?.description == #"conflict\u{D}\u{A}mode normal"#)
        #expect(shown.mode == "normal" && shown.groups[0].state == "red")
    }
}
