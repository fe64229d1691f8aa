@testable import CentralWeb
import Testing

/// `GET /api/stream`'s slots: at most `streamLimit` streams at once, and each slot given back however its connection
/// ended.
@Suite struct LiveStreamTests {
    @Test func aStreamWhoseBodyNeverRunsGivesItsSlotBack() throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let server = try dashboard.server()
        // A client that resets before the answer starts: hummingbird drops the response without running its body.
        for _ in 0...DashboardServer.streamLimit { _ = try server.stream() }
        var held = try (0..<DashboardServer.streamLimit).map { _ in try server.stream() }
        #expect(throws: (any Error).self) { try server.stream() }
        held.removeLast()
        #expect(throws: Never.self) { try server.stream() }
    }
}
