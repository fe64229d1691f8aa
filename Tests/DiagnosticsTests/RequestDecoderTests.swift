import Testing

@testable import Diagnostics

@Suite struct RequestDecoderTests {
    let decoder = RequestDecoder()

    static let everyRequest: [DiagnosticRequest] = [
        .hello, .status, .detectors, .counts, .config, .unsubscribe, .advance, .resetFault,
        .events(since: nil, limit: nil, follow: false), .events(since: 0, limit: 1, follow: false),
        .events(since: 12_345, limit: DiagnosticProtocol.maxEventsPerReply, follow: true),
        .subscribe(.state, intervalMilliseconds: nil, since: nil), .subscribe(.state, intervalMilliseconds: 100, since: nil),
        .subscribe(.events, intervalMilliseconds: nil, since: 7), .subscribe(.events, intervalMilliseconds: nil, since: nil),
        .flash(on: true), .flash(on: false), .hold(on: true), .hold(on: false),
        .call(.name("N_stop")), .call(.number(16)), .plan("weekday_peak"), .plan(nil),
        .planAuto,
    ]

    @Test func everyCommandWordHasARequest() {
        #expect(Set(Self.everyRequest.map(\.command)) == Set(DiagnosticRequest.commands))
    }

    @Test(arguments: everyRequest)
    func everyRequestRoundTrips(request: DiagnosticRequest) throws {
        for id in [nil, RequestID.integer(-3), RequestID.string("watch-1")] {
            let envelope = RequestEnvelope(id: id, request: request)
            let line = envelope.line
            #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
            #expect(try decoder.decode(String(line.dropLast())) == envelope)
        }
    }

    @Test func theVersionMayBeLeftOutButNotWrong() throws {
        #expect(try decoder.decode(#"{"cmd":"status"}"#).request == .status)
        let error = #expect(throws: RequestError.self) { try decoder.decode(#"{"v":2,"id":9,"cmd":"status"}"#) }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.id == .integer(9))
        #expect((#expect(throws: RequestError.self) { try decoder.decode(#"{"v":"1","cmd":"status"}"#) })?.code == .badRequest)
    }

    @Test func aCarriageReturnBeforeTheNewlineIsTolerated() throws {
        #expect(try decoder.decode(Array("{\"cmd\":\"counts\"}\r".utf8)).request == .counts)
    }

    @Test(arguments: [
        ("not json", DiagnosticErrorCode.parse), ("{\"cmd\":\"status\"", .parse), ("[1,2]", .badRequest),
        ("\"status\"", .badRequest), ("{}", .badRequest), ("{\"cmd\":7}", .badRequest),
        ("{\"cmd\":\"reboot\"}", .unknownCommand), ("{\"cmd\":\"status\",\"verbose\":true}", .badRequest),
        ("{\"cmd\":\"flash\"}", .badRequest), ("{\"cmd\":\"flash\",\"on\":\"yes\"}", .badRequest),
        ("{\"cmd\":\"hold\",\"on\":1}", .badRequest), ("{\"cmd\":\"call\"}", .badRequest),
        ("{\"cmd\":\"call\",\"detector\":0}", .badRequest), ("{\"cmd\":\"call\",\"detector\":\"\"}", .badRequest),
        ("{\"cmd\":\"plan\"}", .badRequest), ("{\"cmd\":\"plan\",\"name\":3}", .badRequest),
        ("{\"cmd\":\"plan\",\"auto\":true,\"name\":\"day\"}", .badRequest), ("{\"cmd\":\"plan\",\"auto\":1}", .badRequest),
        ("{\"cmd\":\"events\",\"since\":-1}", .badRequest), ("{\"cmd\":\"events\",\"limit\":0}", .badRequest),
        ("{\"cmd\":\"events\",\"limit\":501}", .badRequest), ("{\"cmd\":\"events\",\"follow\":\"yes\"}", .badRequest),
        ("{\"cmd\":\"subscribe\"}", .badRequest), ("{\"cmd\":\"subscribe\",\"stream\":\"lamps\"}", .badRequest),
        ("{\"cmd\":\"subscribe\",\"stream\":\"state\",\"interval_ms\":50}", .badRequest),
        ("{\"cmd\":\"subscribe\",\"stream\":\"state\",\"since\":3}", .badRequest),
        ("{\"cmd\":\"subscribe\",\"stream\":\"events\",\"interval_ms\":500}", .badRequest),
        ("{\"id\":[1],\"cmd\":\"status\"}", .badRequest), ("{\"cmd\":\"status\",\"cmd\":\"status\"}", .parse),
        ("{\"cmd\":{\"a\":{\"b\":{\"c\":{}}}}}", .parse),
    ])
    func garbageGetsAClearError(line: String, code: DiagnosticErrorCode) {
        let error = #expect(throws: RequestError.self) { try decoder.decode(line) }
        #expect(error?.code == code, "\(line) → \(String(describing: error))")
        #expect(error?.message.isEmpty == false)
    }

    @Test func theErrorNamesTheFieldAndWhatItTakes() {
        let unknown = #expect(throws: RequestError.self) { try decoder.decode(#"{"id":4,"cmd":"events","folow":true}"#) }
        #expect(unknown?.message.contains("\"folow\"") == true)
        #expect(unknown?.message.contains("\"follow\"") == true)
        #expect(unknown?.id == .integer(4))
        let command = #expect(throws: RequestError.self) { try decoder.decode(#"{"cmd":"flsh"}"#) }
        #expect(command?.message.contains("flash") == true)
    }

    /// A whole number beyond 64 bits is a whole number out of range, not "must be a whole number, not 9.2e+18".
    @Test func aWholeNumberBeyondSixtyFourBitsIsOutOfRange() {
        let huge = #expect(throws: RequestError.self) {
            try decoder.decode(#"{"cmd":"events","limit":9223372036854775808}"#)
        }
        #expect(huge?.code == .badRequest)
        #expect(huge?.message == "\"limit\" is outside 1–\(DiagnosticProtocol.maxEventsPerReply)", "\(String(describing: huge))")
        let since = #expect(throws: RequestError.self) {
            try decoder.decode(#"{"cmd":"events","since":18446744073709551615}"#)
        }
        #expect(since?.message == "\"since\" is beyond the largest event sequence number, \(Int.max)")
        // Within range, a numeral that is not an integer literal is still said to be one.
        let written = #expect(throws: RequestError.self) { try decoder.decode(#"{"cmd":"events","limit":1e2}"#) }
        #expect(written?.message == "\"limit\" must be a whole number, not 100.0")
    }

    /// A number that is not a whole 64-bit number is shown as sent: "not a number" about 1e2 told nobody anything.
    @Test(arguments: [
        (#"{"id":1e2,"cmd":"status"}"#, "not 100.0"), (#"{"v":1.5,"cmd":"status"}"#, "not 1.5"),
        (#"{"id":123456789012345678901234567890,"cmd":"status"}"#, "64-bit"),
    ])
    func aNumberOfTheWrongKindIsShownAsSent(line: String, shown: String) {
        let error = #expect(throws: RequestError.self) { try decoder.decode(line) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains(shown) == true, "\(String(describing: error?.message))")
        #expect(error?.message.contains("not a number") == false)
    }

    @Test func anOversizedLineIsTooLongNotParsed() {
        let line = "{\"cmd\":\"status\",\"id\":\"" + String(repeating: "x", count: DiagnosticProtocol.maxRequestLineBytes) + "\"}"
        #expect((#expect(throws: RequestError.self) { try decoder.decode(line) })?.code == .tooLong)
    }

    @Test func aLineAtTheLimitIsRead() throws {
        let head = #"{"cmd":"status","id":"#
        let padding = DiagnosticProtocol.maxRequestLineBytes - head.utf8.count - 1
        let line = head + String(repeating: "7", count: 1) + "}" + String(repeating: " ", count: padding - 1)
        #expect(line.utf8.count == DiagnosticProtocol.maxRequestLineBytes)
        #expect(try decoder.decode(line).id == .integer(7))
    }

    @Test func requestsSortIntoReadAndControl() {
        let control = Self.everyRequest.filter { $0.access == .control }.map(\.command)
        #expect(Set(control) == ["flash", "hold", "advance", "call", "plan", "reset-fault"])
    }

    @Test func detectorArgumentsAreNamesOrNumbers() {
        #expect(DetectorReference(argument: "3") == .number(3))
        #expect(DetectorReference(argument: "N_stop") == .name("N_stop"))
        #expect(DetectorReference(argument: "0") == .name("0"))
        #expect(DiagnosticRequest.plan(nil).summary == "plan actuated")
        #expect(DiagnosticRequest.planAuto.summary == "plan auto")
        #expect(DiagnosticRequest.call(.name("PN_button")).summary == "call PN_button")
    }
}
