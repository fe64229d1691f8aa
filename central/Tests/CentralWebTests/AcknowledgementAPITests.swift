import CentralCore
import Foundation
import Testing
import Wire

/// `POST /api/alarms/{number}/ack`: who acknowledged, refusals in words, and the store keeps it.
@Suite struct AcknowledgementAPITests {
    private func errorCode(_ body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func anAlarmIsAcknowledgedOnceByANamedPersonAndTheStoreKeepsIt() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        var status = StatusReport()
        status.alarms = [.eventsLost]
        dashboard.report(status)
        let number = try #require(dashboard.board.snapshot().alarms.alarms.first).number
        let long = String(repeating: "x", count: AlarmAcknowledgement.nameLimit + 1)
        let answers = try await dashboard.answers([
            .post("/api/alarms/\(number)/ack", #"{}"#),
            .post("/api/alarms/\(number)/ack", #"{"by": "  \n "}"#),
            .post("/api/alarms/\(number)/ack", #"{"by": "\#(long)"}"#),
            .post("/api/alarms/\(number)/ack", "by=Sari"),
            .post("/api/alarms/x/ack", #"{"by": "Sari"}"#),
            .post("/api/alarms/99/ack", #"{"by": "Sari"}"#),
            .post("/api/alarms/\(number)/ack", #"{"by": "  Sari ", "note": "loops checked"}"#),
            .post("/api/alarms/\(number)/ack", #"{"by": "Budi"}"#),
            "/api/alarms",
        ])
        for answer in answers[0..<5] {
            #expect(answer.status == 400, "\(answer.body)")
            #expect(errorCode(answer.body) == "bad-parameter")
        }
        #expect(answers[1].body.contains("by: the name of who acknowledges is required"))
        #expect(answers[5].status == 404)
        #expect(answers[6].status == 200, "\(answers[6].body)")
        #expect(answers[6].body.contains(#""by":"Sari""#))
        #expect(answers[7].status == 409)
        #expect(errorCode(answers[7].body) == "conflict")
        #expect(answers[7].body.contains("Sari"))
        let alarms = try #require(try JSONSerialization.jsonObject(with: Data(answers[8].body.utf8)) as? [[String: Any]])
        let acknowledgement = try #require(alarms.first?["acknowledgement"] as? [String: Any])
        #expect(acknowledgement["by"] as? String == "Sari")
        #expect(acknowledgement["note"] as? String == "loops checked")
        #expect(acknowledgement["at_milliseconds"] is Int)

        let stored = try AcknowledgementStore(path: dashboard.path).newest()
        #expect(stored.map(\.junctionID) == [7])
        #expect(stored.first?.kind == .eventsLost)
        #expect(stored.first?.acknowledgement.by == "Sari")
    }
}
