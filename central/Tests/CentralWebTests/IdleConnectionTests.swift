import CentralWeb
import Glibc
import HummingbirdTesting
import Logging
import Testing

/// The dashboard's HTTP server over real sockets: a connection that sends nothing, or stops halfway through a
/// request, is closed after the idle timeout rather than held until central runs out of file descriptors.
@Suite struct IdleConnectionTests {
    /// Whether the server at `port` closes a connection that sent `bytes` and then nothing, within `seconds`.
    private func closedBySilence(port: Int, after bytes: String, within seconds: Int) throws -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        if !bytes.isEmpty { try #require(send(socket, bytes, bytes.utf8.count, 0) == bytes.utf8.count) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, 0) == 0
    }

    @Test func silentAndHalfSentConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let dashboard = try TestDashboard()
        defer { dashboard.remove() }
        let application = try dashboard.server().application(
            host: "127.0.0.1", port: 0, logger: Logger(label: "test"), idleTimeoutMilliseconds: 300)
        try await application.test(.live) { client in
            // A request answered before the client's own connection falls idle too.
            #expect(try await client.execute(uri: "/api/status", method: .get).status == .ok)
            let port = try #require(client.port)
            #expect(try closedBySilence(port: port, after: "", within: 5))
            #expect(try closedBySilence(port: port, after: "GET /api/status HTTP/1.1\r\nHo", within: 5))
        }
    }
}
