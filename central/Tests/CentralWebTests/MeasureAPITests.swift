import CentralCore
import CentralWeb
import Foundation
import Testing
import Wire

/// `GET /api/junctions/:id/measures` as a client sees it: snake_case measures over a stored range, and every bad
/// range refused with a message rather than replaced by a default.
@Suite struct MeasureAPITests {
    /// 2025-12-03 00:00 UTC.
    private static let day: Int64 = 1_764_720_000

    /// Junction 7 (Cirebon layout: detector 1 the stop line and 2 the advance loop of phase 1) with two cycles of
    /// phase 1 stored; returns each URI's status and body.
    private func served(_ uris: [String]) async throws -> [(status: Int, body: String)] {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let seconds: [(Double, UInt16, UInt16)] = [
            (-1, 82, 1), (0, 1, 1), (5, 82, 2), (20, 4, 1), (20, 8, 1), (23, 10, 1), (25, 11, 1), (30, 82, 2),
            (60, 1, 1), (62, 81, 1), (90, 5, 1), (90, 8, 1), (93, 10, 1), (95, 11, 1), (120, 1, 1),
        ]
        try dashboard.commit(
            events: seconds.enumerated().map { index, event in
                EventRecord(
                    recordNumber: UInt64(index + 1), timeMilliseconds: UInt64(Self.day * 1000 + Int64(event.0 * 1000)),
                    code: event.1, parameter: event.2)
            })
        return try await dashboard.answers(uris.map { TestDashboard.Call(get: $0) }).map { ($0.status, $0.body) }
    }

    private func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test func aDayOfMeasuresInSnakeCase() async throws {
        let answers = try await served([
            "/api/junctions/7/measures?day=2025-12-03",
            "/api/junctions/7/measures?from=\(Self.day - 60)&to=\(Self.day + 3600)&bin=5",
        ])
        #expect(answers.map(\.status) == [200, 200])
        let day = try object(answers[0].body)
        #expect(day["from"] as? Int == Int(Self.day))
        #expect(day["to"] as? Int == Int(Self.day) + 86_400)
        #expect(day["bin_minutes"] as? Int == 15)
        #expect(day["detector_map"] as? Bool == true)
        let cycles = try #require(day["cycles"] as? [[String: Any]])
        #expect(cycles.map { $0["termination"] as? String } == ["gap_out", "max_out"])
        #expect(cycles.map { $0["split_s"] as? Double } == [25, 35])
        let terminations = try #require(day["terminations"] as? [[String: Any]])
        #expect(terminations.count == 1)
        #expect(terminations.first?["gap_out"] as? Int == 1)
        #expect(terminations.first?["max_out"] as? Int == 1)
        let arrivals = try #require((day["arrivals_on_green"] as? [[String: Any]])?.first)
        #expect(arrivals["total_arrivals"] as? Int == 2)
        #expect(arrivals["percent_arrivals_on_green"] as? Double == 0.5)
        for key in ["coordination_cycles", "coordination_arrivals", "detector_volumes", "approach_volumes"]
            + ["pedestrian"]
        {
            #expect(day[key] is [Any], "\(key)")
        }
        // The day starts after the stop line's first on, so no cycle of it knows its occupancy; from a minute
        // earlier both do: the first fully occupied (a failure), the second not.
        #expect((day["split_failures"] as? [Any])?.isEmpty == true)
        let range = try object(answers[1].body)
        #expect(range["bin_minutes"] as? Int == 5)
        let failures = try #require((range["split_failures"] as? [[String: Any]])?.first)
        #expect(failures["bin_start"] as? Int == Int(Self.day))
        #expect(failures["cycles"] as? Int == 2)
        #expect(failures["split_failures"] as? Int == 1)
    }

    @Test func aBadOrMissingRangeIsRefusedWithAMessage() async throws {
        let base = "/api/junctions/7/measures"
        let bad = [
            base, "\(base)?from=100", "\(base)?from=200&to=100", "\(base)?from=abc&to=100",
            "\(base)?from=0&to=\(31 * 86_400 + 1)", "\(base)?day=2025-02-30", "\(base)?day=25-12-03",
            "\(base)?day=2025-12-03&from=1&to=2", "\(base)?day=2025-12-03&bin=7", "\(base)?day=2025-12-03&bin=0",
            "\(base)?day=2025-12-03&hours=3",
            // Past the year 2100, as on the other history routes; `from * 1000` once overflowed and trapped.
            "\(base)?from=9223372036854775&to=9223372036854776", "\(base)?from=4102444800&to=4102444801",
            "\(base)?day=9999-12-31", "\(base)?day=2100-01-01",
        ]
        let answers = try await served(
            bad + ["\(base)?from=0&to=\(31 * 86_400)", "/api/junctions/9/measures?day=2025-12-03"])
        for (uri, answer) in zip(bad, answers) {
            #expect(answer.status == 400, "\(uri)")
            let error = try #require(try object(answer.body)["error"] as? [String: Any], "\(uri): \(answer.body)")
            #expect(error["code"] as? String == "bad-parameter", "\(uri)")
        }
        #expect(
            (try object(answers[0].body)["error"] as? [String: Any])?["message"] as? String
                == "give a range: day=YYYY-MM-DD, or from and to in Unix seconds")
        #expect(answers[bad.count].status == 200)
        #expect(answers[bad.count + 1].status == 404)
    }

    @Test func theMeasuresViewIsServedAsInAssetsAndLoadsNothingFromElsewhere() async throws {
        let answer = try await served(["/assets/measures.js"])[0]
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Assets/measures.js").standardized
        #expect(answer.status == 200)
        #expect(answer.body == (try String(contentsOf: file, encoding: .utf8)))
        #expect(!answer.body.contains("https://") && !answer.body.contains("http://"))
    }
}
