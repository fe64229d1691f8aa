import CentralCore
import Foundation
import Testing
import Wire

/// `/metrics` as Prometheus scrapes it, after a known ingest through the real ingest code.
@Suite struct MetricsTests {
    /// Every sample of a scrape by its name and labels as written (`central_datagrams_dropped_total{reason="duplicate"}`).
    private func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func aScrapeNamesTypesAndCountsWhatWasIngested() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let ingest = try CentralIngest(
            config: CityConfig(junctions: [dashboard.entry]), store: dashboard.store, board: dashboard.board, bootID: 1)
        var sealer = DatagramSealer(junctionId: 7, senderId: 0, bootId: 1_000, key: TestDashboard.key)
        let now = WallClock.nowMilliseconds()
        let first = sealer.seal(.status(StatusReport()), timeMilliseconds: UInt64(now))
        let second = sealer.seal(.status(StatusReport()), timeMilliseconds: UInt64(now))
        // Two reports, one of them replayed: three datagrams, two ingested, one dropped as a duplicate.
        for bytes in [first, first, second] {
            bytes.withUnsafeBytes { ingest.receive($0, from: SocketAddress("127.0.0.1:40007")!, nowMilliseconds: now) }
        }
        ingest.publish()

        let answers = try await dashboard.answers(["/api/status", "/metrics", "/metrics"])
        #expect(answers[1].status == 200)
        #expect(answers[1].headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = answers[1].body
        for (name, type) in [
            ("central_status_reports_total", "counter"), ("central_datagrams_received_total", "counter"),
            ("central_datagrams_dropped_total", "counter"), ("central_junctions_online", "gauge"),
            ("central_store_size_bytes", "gauge"), ("central_api_request_duration_seconds", "histogram"),
        ] {
            #expect(text.contains("# TYPE \(name) \(type)\n"), "\(name)")
        }
        let values = samples(text)
        #expect(values["central_status_reports_total"] == 2)
        #expect(values["central_datagrams_received_total"] == 3)
        #expect(values["central_datagrams_accepted_total"] == 2)
        #expect(values["central_datagrams_dropped_total{reason=\"duplicate\"}"] == 1)
        #expect(values["central_datagrams_dropped_total{reason=\"bad_tag\"}"] == 0)
        #expect(values["central_records_stamped_ahead_total"] == 0)
        #expect(values["central_records_beyond_layout_total"] == 0)
        #expect(values["central_junctions_online"] == 1)
        #expect(values["central_junctions_configured"] == 1)
        #expect((values["central_store_size_bytes"] ?? 0) >= 4096, "at least one page of the SQLite file")
        #expect(values["central_api_request_duration_seconds_count{route=\"/api/status\"}"] == 1)
        #expect(values["central_api_request_duration_seconds_count{route=\"/api/junctions/:id/counts\"}"] == 0)
        // A second scrape copies the same counters again rather than adding them up.
        let again = samples(answers[2].body)
        #expect(again["central_status_reports_total"] == 2)
        #expect(again["central_datagrams_dropped_total{reason=\"duplicate\"}"] == 1)
    }
}
