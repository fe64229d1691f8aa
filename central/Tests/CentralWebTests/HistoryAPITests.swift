import CentralCore
@testable import CentralWeb
import Foundation
import Testing
import Wire

/// The history routes over a chosen range: `from`/`to` and `day`, what they refuse, and the CSV files.
@Suite struct HistoryAPITests {
    /// 2023-11-14 22:13:20 UTC.
    private static let base: UInt64 = 1_700_000_000_000
    /// 00:00 UTC of that day.
    private static let dayStart: Int64 = 1_699_920_000

    private func json(_ body: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.utf8))
    }

    @Test func daysAndTimestampsAreUTCCalendarDates() {
        #expect(HistoryRange.dayStart("2023-11-14") == Self.dayStart)
        #expect(HistoryRange.dayStart("1970-01-01") == 0)
        #expect(HistoryRange.dayStart("2024-02-29") == 1_709_164_800)
        let bad = ["2023-02-29", "2023-13-01", "2023-00-10", "2023-1-01", "23-11-14", "2023-11-14T00", "2100-01-01", ""]
        for bad in bad {
            #expect(HistoryRange.dayStart(bad) == nil, "\(bad)")
        }
        #expect(HistoryCSV.timestamp(milliseconds: 0) == "1970-01-01 00:00:00.0")
        #expect(HistoryCSV.timestamp(milliseconds: Int64(Self.base) + 199) == "2023-11-14 22:13:20.1")
        #expect(HistoryCSV.timestamp(milliseconds: 1_709_251_199_999) == "2024-02-29 23:59:59.9")
    }

    @Test func aDetectorNameWithACommaOrQuoteIsQuotedAndAnUnknownDetectorIsNamedByNumber() {
        let bin = CountBin(
            recordNumber: 1, binStartSeconds: UInt64(Self.dayStart), periodSeconds: 900, detector: 1, volume: 4,
            occupancyPermille: 10, observedSeconds: 900)
        let named = HistoryCSV.countLine(junctionID: 7, bin, detectors: [(name: "N \"left\", 2", placement: "advance")])
        #expect(named == "7,2023-11-14 00:00:00.0,\(Self.dayStart),900,1,\"N \"\"left\"\", 2\",advance,4,10,900\n")
        #expect(HistoryCSV.countLine(junctionID: 7, bin, detectors: []).contains(",1,D1,unknown,4,"))
    }

    @Test func badRangesAreRefusedWithAJSONError() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let bad: [TestDashboard.Call] = [
            "/api/junctions/7/counts?from=10", "/api/junctions/7/counts?to=10", "/api/junctions/7/counts?from=20&to=10",
            "/api/junctions/7/counts?from=20&to=20", "/api/junctions/7/counts?from=1700000000000&to=1700000000001",
            "/api/junctions/7/counts?day=2023-02-29", "/api/junctions/7/counts?day=yesterday",
            "/api/junctions/7/counts?day=2023-11-14&from=1&to=2", "/api/junctions/7/counts?hours=2&day=2023-11-14",
            "/api/junctions/7/counts?from=0&to=2678401", "/api/junctions/7/events?from=0&to=86401",
            "/api/junctions/7/events?day=2023-11-14&limit=50001", "/api/junctions/7/events?limit=5001",
            "/api/junctions/7/events.csv?from=0&to=604801", "/api/junctions/7/events.csv?limit=5",
            "/api/junctions/7/counts.csv?day=2023-11-31",
        ]
        let good: [TestDashboard.Call] = [
            "/api/junctions/7/counts?from=0&to=2678400", "/api/junctions/7/events?from=0&to=86400&limit=50000",
            "/api/junctions/7/events.csv?from=0&to=604800", "/api/junctions/7/counts.csv?hours=744",
        ]
        let answers = try await dashboard.answers(bad + good)
        for (call, answer) in zip(bad, answers) {
            #expect(answer.status == 400, "\(call.uri): \(answer.body)")
            let error = (try json(answer.body) as? [String: Any])?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "bad-parameter", "\(call.uri)")
        }
        for (call, answer) in zip(good, answers[bad.count...]) { #expect(answer.status == 200, "\(call.uri)") }
        #expect(answers[9].body.contains("range: at most 744 hours on this route"))
    }

    @Test func aDayOfCountsHoldsThatDaysBinsOnly() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let starts: [Int64] = [Self.dayStart - 900, Self.dayStart, Self.dayStart + 86_400 - 900, Self.dayStart + 86_400]
        try dashboard.commit(bins: starts.enumerated().map {
            CountBin(
                recordNumber: UInt64($0.offset + 1), binStartSeconds: UInt64($0.element), periodSeconds: 900,
                detector: 1, volume: UInt32(10 + $0.offset), occupancyPermille: 50, observedSeconds: 900)
        })
        let answers = try await dashboard.answers([
            "/api/junctions/7/counts?day=2023-11-14", "/api/junctions/7/counts.csv?day=2023-11-14",
        ])
        let counts = try #require(try json(answers[0].body) as? [String: Any])
        #expect(counts["since_seconds"] as? Int == Int(Self.dayStart))
        #expect(counts["to_seconds"] as? Int == Int(Self.dayStart + 86_400))
        let bins = try #require(counts["bins"] as? [[String: Any]])
        #expect(bins.compactMap { $0["volume"] as? Int } == [11, 12])
        let detector = try #require((counts["detectors"] as? [[String: Any]])?.first)
        let name = try #require(detector["name"] as? String)
        let placement = try #require(detector["placement"] as? String)

        #expect(answers[1].headers[.contentType] == "text/csv; charset=utf-8")
        #expect(answers[1].headers[.contentDisposition]?.hasPrefix("attachment; filename=\"junction-7-counts-") == true)
        #expect(answers[1].body == HistoryCSV.countsHeader
            + "7,2023-11-14 00:00:00.0,\(Self.dayStart),900,1,\(name),\(placement),11,50,900\n"
            + "7,2023-11-14 23:45:00.0,\(Self.dayStart + 85_500),900,1,\(name),\(placement),12,50,900\n")
    }

    @Test func recentHoursOfCountsLeaveOutBinsStampedAheadOfTheClock() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let now = UInt64(WallClock.nowMilliseconds() / 1000)
        // A bin that ended a little ago, one from a junction clock a day ahead, and one with a start no clock reaches.
        let starts = [now / 900 * 900 - 900, (now + 86_400) / 900 * 900, UInt64(Int64.max) / 900 * 900]
        try dashboard.commit(bins: starts.enumerated().map {
            CountBin(
                recordNumber: UInt64($0.offset + 1), binStartSeconds: $0.element, periodSeconds: 900, detector: 1,
                volume: UInt32(10 + $0.offset), occupancyPermille: 50, observedSeconds: 900)
        })
        let answers = try await dashboard.answers([
            "/api/junctions/7/counts?hours=2", "/api/junctions/7/counts.csv?hours=2",
        ])
        let counts = try #require(try json(answers[0].body) as? [String: Any])
        let bins = try #require(counts["bins"] as? [[String: Any]])
        #expect(bins.compactMap { $0["volume"] as? Int } == [10])
        #expect(answers[1].body.split(separator: "\n").count == 2, "the header and the one bin")
    }

    @Test func aRangeOfEventsIsReadWindowByWindowNewestFirstUpToTheLimit() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        // One phase event and one detector-on every 4 minutes for an hour: spread over several read windows.
        var records: [EventRecord] = []
        for step in 0..<15 {
            let time = Self.base + UInt64(step) * 240_000 + 150
            records.append(EventRecord(recordNumber: UInt64(2 * step + 1), timeMilliseconds: time, code: 1, parameter: 2))
            records.append(EventRecord(recordNumber: UInt64(2 * step + 2), timeMilliseconds: time + 1, code: 82, parameter: 3))
        }
        try dashboard.commit(events: records)
        let from = Int64(Self.base / 1000)
        let answers = try await dashboard.answers([
            .init(get: "/api/junctions/7/events?from=\(from)&to=\(from + 3600)&actuations=0&limit=5"),
            .init(get: "/api/junctions/7/events?from=\(from + 240)&to=\(from + 720)"),
            .init(get: "/api/junctions/7/events.csv?from=\(from)&to=\(from + 3600)"),
        ])
        let newest = try #require(try json(answers[0].body) as? [[String: Any]])
        #expect(newest.compactMap { $0["record"] as? Int } == [29, 27, 25, 23, 21])
        let window = try #require(try json(answers[1].body) as? [[String: Any]])
        #expect(window.compactMap { $0["record"] as? Int } == [6, 5, 4, 3])

        let lines = answers[2].body.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "SignalId,Timestamp,EventCode,EventParam")
        #expect(lines.count == 1 + 30 + 1, "header, every event, and the final line break")
        #expect(lines[1] == "7,2023-11-14 22:13:20.1,1,2")
        #expect(lines[2] == "7,2023-11-14 22:13:20.1,82,3")
        #expect(lines[3] == "7,2023-11-14 22:17:20.1,1,2")
        #expect(lines[30] == "7,2023-11-14 23:09:20.1,82,3")
    }
}
