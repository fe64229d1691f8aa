import SignalCore
import Testing

@testable import Diagnostics

@Suite struct ResponseLineTests {
    static let status = StatusReport(
        junction: "test \"crossing\"\n", tick: 1234, mode: "normal", flashReason: nil,
        stage: .init(number: 2, name: "crossing"), inTransition: false, timeInStageTenths: 55, plan: nil, hold: true,
        flashRequest: "manual", fault: .init(tick: 9, kind: "conflict", groups: ["main", "walk"], description: "two at once"),
        detectorFaults: [], groups: [.init(number: 1, name: "main", kind: "vehicle", state: "red", intervalTenths: nil, call: true, lastTermination: "gap-out")],
        detectors: [.init(number: 1, name: "main_stop", occupied: true, health: "ok", recentActuations: 4, recentOccupancyPermille: 125)],
        loop: .init(ticks: 1000, overruns: 1, missedTicks: 2, latenessP50Nanoseconds: 50_000, latenessP99Nanoseconds: 90_000,
                    latenessP999Nanoseconds: 400_000, latenessMaxNanoseconds: 1_200_000, maxTickWorkNanoseconds: 80_000),
        counters: .init(unconfirmedOutputTicks: 0, watchdogToggles: 1000, requestsDropped: 0, reloadsApplied: 1, reloadsRefused: 0,
                        reloadWaitTicks: 3, droppedEvents: 0, journalLastSequence: 77, journalOverwritten: 0),
        field: .init(detectors: .init(backend: "simulated", reads: 1000, writes: 0, retries: 0, drops: 0, faults: 0),
                     outputs: .init(backend: "simulated", reads: 1000, writes: 1000, retries: 0, drops: 0, faults: 1)),
        server: ServerCounters(clients: 2, maxClients: 16, accepted: 5, refusedBusy: 1, requests: 9, controlCommands: 1))

    func message(_ bytes: [UInt8]) throws -> ResponseMessage {
        #expect(bytes.last == 0x0A)
        #expect(bytes.dropLast().contains(0x0A) == false, "one line")
        return try ResponseMessage.parse(bytes.dropLast())
    }

    @Test func aStatusReplyReadsBackEqual() throws {
        let parsed = try message(ResponseLine.reply(id: .integer(3), "status", data: Self.status))
        #expect(parsed.id == .integer(3))
        #expect(parsed.kind == .reply("status"))
        #expect(try parsed.decode(StatusReport.self) == Self.status)
        #expect(parsed.data?["time_in_stage_tenths"] == .integer(55))
        #expect(parsed.data?["loop"]?["lateness_p999_nanoseconds"] == .integer(400_000))
    }

    @Test func otherRepliesReadBackEqual() throws {
        let junction = TestJunction.crossing()
        let config = ConfigReport(junction: junction, source: "built-in", summary: "s", settings: ["max_clients": "16"])
        #expect(try message(ResponseLine.reply(id: nil, "config", data: config)).decode(ConfigReport.self) == config)
        #expect(config.conflicts == [["main", "walk"]])
        #expect(config.intergreens.count == 2)
        let events = EventsReport(
            events: [EventRecord(sequence: 5, tick: 10, code: 200, name: "manual-control", parameter: 1, subject: "flash on",
                                 operator: .init(uid: 1000, command: "flash on"))],
            lastSequence: 5, overwritten: 0, missed: 2)
        #expect(try message(ResponseLine.stream(.events, data: events)).decode(EventsReport.self) == events)
        let hello = HelloReport(protocolVersion: 1, daemon: "junctiond", junction: "j", socket: "read", uid: 1, gid: 2, pid: 3,
                                mayRead: true, mayControl: false, readGroup: "junctiond", adminGroup: nil)
        #expect(try message(ResponseLine.reply(id: .string("h"), "hello", data: hello)).decode(HelloReport.self) == hello)
    }

    @Test func streamLinesCarryTheirStreamName() throws {
        let parsed = try message(ResponseLine.stream(.state, data: Self.status))
        #expect(parsed.kind == .stream("state"))
        #expect(parsed.id == nil)
    }

    @Test func errorLinesCarryCodeMessageAndID() throws {
        let parsed = try message(ResponseLine.error(id: .string("x"), .refused, "a safety fault is latched;\nreset it first"))
        #expect(parsed.kind == .error(.refused, code: "refused", message: "a safety fault is latched;\nreset it first"))
        #expect(parsed.id == .string("x"))
        let unknown = try ResponseMessage.parse(Array(#"{"v":1,"ok":false,"error":{"code":"new-code","message":"m"}}"#.utf8))
        #expect(unknown.kind == .error(nil, code: "new-code", message: "m"))
    }

    @Test(arguments: ["", "{}", "[1]", #"{"v":2,"ok":true,"reply":"x"}"#, #"{"v":1,"ok":true}"#, #"{"v":1,"ok":false}"#, #"{"v":1}"#])
    func aClientRejectsLinesThatAreNotTheProtocol(line: String) {
        #expect(throws: ResponseError.self) { try ResponseMessage.parse(Array(line.utf8)) }
    }
}
