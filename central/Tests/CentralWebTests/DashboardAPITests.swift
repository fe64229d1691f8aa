import CentralCore
import CentralWeb
import Foundation
import HummingbirdTesting
import Logging
import SignalCore
import Testing
import Wire

/// The JSON API as a client sees it: one key convention, words rather than numbers, and refused queries.
@Suite struct DashboardAPITests {
    /// A server over a board with junction 7 (the Cirebon layout) and a store holding `events` and `bins` of it;
    /// `status` sets its newest report. Returns each URI's status and body.
    private func served(
        _ uris: [String], status: StatusReport? = nil, events: [EventRecord] = [], bins: [CountBin] = []
    ) async throws -> [(status: Int, body: String)] {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        try dashboard.commit(events: events, bins: bins)
        if let status { dashboard.report(status) }
        return try await dashboard.answers(uris.map(TestDashboard.Call.init(get:))).map { ($0.status, $0.body) }
    }

    private func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    /// Every key of every object in `value`, at any depth.
    private func keys(_ value: Any) -> [String] {
        if let object = value as? [String: Any] { return object.flatMap { key, inner in [key] + keys(inner) } }
        if let array = value as? [Any] { return array.flatMap(keys) }
        return []
    }

    @Test func badQueryParametersAreRefusedWithAJSONErrorNotReplacedByADefault() async throws {
        let bad = [
            "/api/junctions/7/counts?hours=abc", "/api/junctions/7/counts?hours=0", "/api/junctions/7/counts?hours=745",
            "/api/junctions/7/counts?hour=3", "/api/junctions/7/counts?hours=2&hours=3",
            "/api/junctions/7/events?limit=-1", "/api/junctions/7/events?actuations=yes", "/api/junctions/x/events",
            "/api/status?verbose=1",
        ]
        let answers = try await served(bad + ["/api/junctions/7/counts?hours=744", "/api/junctions/9/counts"])
        for (uri, answer) in zip(bad, answers) {
            #expect(answer.status == 400, "\(uri)")
            let error = try #require(try object(answer.body)["error"] as? [String: Any], "\(uri): \(answer.body)")
            #expect(error["code"] as? String == "bad-parameter", "\(uri)")
            #expect((error["message"] as? String ?? "").count > 10, "\(uri)")
        }
        #expect((try object(answers[0].body)["error"] as? [String: Any])?["message"] as? String
            == "hours: expected a whole number from 1 to 744, got \"abc\"")
        #expect(answers[bad.count].status == 200)
        #expect(answers[bad.count + 1].status == 404)
    }

    @Test func unknownRoutesAndMethodsAndAnOversizedBodyAreRefusedInJSON() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        var delete = TestDashboard.Call(get: "/api/status")
        delete.method = .delete
        let long = String(repeating: "x", count: 5000)
        let answers = try await dashboard.answers([
            "/api/nonexistent", delete, .post("/api/alarms/1/ack", #"{"by": "\#(long)"}"#),
        ])
        #expect(answers.map(\.status) == [404, 404, 413])
        let errors = try answers.map { try #require(try object($0.body)["error"] as? [String: Any], "\($0.body)") }
        #expect(errors.map { $0["code"] as? String } == ["not-found", "not-found", "content-too-large"])
        #expect(errors[1]["message"] as? String == "no route for DELETE /api/status")
        #expect(errors[2]["message"] as? String == "body: at most 4096 bytes")
    }

    @Test func everyKeyIsSnakeCaseAsJunctionctlWritesThem() async throws {
        var status = StatusReport()
        status.mode = .normal
        status.controllerMode = .normal
        status.stage = 0
        status.groups = [StatusReport.Group(aspect: .redAmber), StatusReport.Group(aspect: .dontWalk)]
        status.alarms = [.centralSilent]
        let answers = try await served(
            ["/api/status", "/api/junctions", "/api/junctions/7", "/api/alarms", "/api/junctions/7/counts",
             "/api/junctions/7/events"],
            status: status,
            events: [EventRecord(recordNumber: 1, timeMilliseconds: 1_700_000_000_000, code: 1, parameter: 1)],
            bins: [CountBin(recordNumber: 1, binStartSeconds: UInt64(WallClock.nowMilliseconds() / 1000 - 900),
                            periodSeconds: 900, detector: 1, volume: 12, occupancyPermille: 80, observedSeconds: 900)])
        for answer in answers {
            #expect(answer.status == 200)
            let all = keys(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)))
            #expect(!all.isEmpty)
            #expect(all.allSatisfy { $0 == $0.lowercased() }, "\(all.filter { $0 != $0.lowercased() })")
        }
        #expect(answers[0].body.contains("\"bad_tag\":0"))
        #expect(answers[2].body.contains("\"time_in_stage_seconds\":"))
        #expect(answers[2].body.contains("\"aspect\":\"red-amber\""))
        #expect(answers[2].body.contains("\"aspect\":\"dont-walk\""))
        #expect(answers[3].body.contains("\"kind\":\"central-silent\""))
        #expect(answers[3].body.contains("\"raised_milliseconds\":"))
        #expect(!answers[3].body.contains("cleared_milliseconds"), "absent while the alarm stands")
    }

    @Test func aFlashingJunctionSaysWhyInWords() async throws {
        var status = StatusReport()
        status.mode = .flash
        status.controllerMode = .flash
        status.flashReason = .manual
        status.alarms = [.flashing]
        status.groups = [StatusReport.Group(aspect: .flashingAmber), StatusReport.Group(aspect: .dark)]
        let answer = try await served(["/api/junctions/7"], status: status)[0]
        let junction = try object(answer.body)
        #expect(junction["mode"] as? String == "flash")
        #expect(junction["flash_reason"] as? String == "manual")
        let groups = try #require(junction["groups"] as? [[String: Any]])
        #expect(groups.map { $0["aspect"] as? String } == ["flashing-amber", "dark"])
        #expect(junction["last_report_milliseconds"] as? Int64 != nil || junction["last_report_milliseconds"] is Int)
    }

    @Test func eventsReadAsWordsWithJunctionctlsNames() async throws {
        let base: UInt64 = 1_700_000_000_000
        let events: [(code: UInt16, parameter: UInt16)] = [
            (173, 2), (200, 0x8001), (200, 1), (1, 1), (174, 1), (174, 0), (206, 4), (82, 2), (131, 0), (209, 0),
            (999, 5), (211, 1000), (200, 0x8000 | 2 << 4 | 6), (211, 65_535),
        ]
        let records = events.enumerated().map {
            EventRecord(
                recordNumber: UInt64($0.offset + 1), timeMilliseconds: base + UInt64($0.offset) * 100,
                code: $0.element.code, parameter: $0.element.parameter)
        }
        let answer = try await served(["/api/junctions/7/events?limit=50"], events: records)[0]
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]])
        // Newest first.
        let byRecord = Dictionary(uniqueKeysWithValues: rows.map { (($0["record"] as? Int) ?? 0, $0) })
        func row(_ record: Int) -> (name: String?, text: String?, subject: String?) {
            (byRecord[record]?["name"] as? String, byRecord[record]?["text"] as? String,
             byRecord[record]?["subject"] as? String)
        }
        #expect(row(1).name == "flash-status")
        #expect(row(1).text == "flash entered: manual")
        #expect(row(2).text == "technician command: flash on")
        #expect(row(3).text == "hold on")
        #expect(row(4).name == "begin-green")
        #expect(row(4).text == "begin green")
        #expect(row(4).subject == "N")
        #expect(row(5).text == "monitor fault: conflict")
        #expect(row(6).text == "monitor fault reset")
        #expect(row(7).text == "flash ended (was fault-monitor)")
        #expect(row(8).text == "detector on")
        #expect(row(9).text == "plan: free (actuated)")
        #expect(row(10).text == "clock not synchronised")
        #expect(row(11).name == "event-999")
        #expect(row(12).name == "operator-command" && row(12).text == "command from uid 1000 at the diagnostic socket")
        #expect(row(13).text == "technician command: call N_advance")
        #expect(row(14).subject == "uid 65535 or above")
        #expect(rows.allSatisfy { !($0["text"] as? String ?? "").isEmpty })
    }

    @Test func countsNameEachDetectorsPlacement() async throws {
        let answer = try await served(["/api/junctions/7/counts"])[0]
        let detectors = try #require(try object(answer.body)["detectors"] as? [[String: Any]])
        let placements = Set(detectors.compactMap { $0["placement"] as? String })
        #expect(placements == ["stop_line", "advance", "push_button"])
        #expect(detectors.first?["number"] as? Int == 1)
    }
}
