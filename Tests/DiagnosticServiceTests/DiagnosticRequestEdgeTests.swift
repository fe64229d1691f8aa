import Diagnostics
import Glibc
import RuntimeTestSupport
import SystemInterface
import Testing

@testable import DiagnosticService

/// Requests at the edges of the protocol: the last line of a client that shuts its side, an
/// events cursor past the journal, and the side services in the state stream.
@Suite struct DiagnosticRequestEdgeTests {
    typealias Server = DiagnosticIdleTimeoutTests

    /// Sends `text` on the connected client.
    static func send(_ connected: Server.Connected, _ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = try bytes.withUnsafeBytes { try Syscall.sendNow(connected.client, $0) }
        #expect(sent == bytes.count)
    }

    /// What the server sends within a few seconds, until it has sent `marker` or closed.
    static func read(_ connected: Server.Connected, until marker: String) throws -> (text: String, closed: Bool) {
        var text = ""
        var closed = false
        _ = eventually {
            guard let (more, done) = try? Server.drain(connected.client) else { return true }
            text += more
            closed = closed || done
            return closed || text.contains(marker)
        }
        return (text, closed)
    }

    @Test func aLastRequestWithoutANewlineIsAnsweredWhenTheClientShutsItsSide() throws {
        let clock = ManualClock(startNanoseconds: 1_000_000_000)
        let connected = try Server.Connected(clock: clock)
        try Self.send(connected, #"{"cmd":"hello","id":7}"#)
        #expect(shutdown(connected.client, Int32(SHUT_WR)) == 0)
        let (text, _) = try Self.read(connected, until: "\n")
        #expect(text.contains(#""id":7"#) && text.contains(#""ok":true"#), "\(text)")
    }

    @Test func anEventsCursorPastTheJournalIsRefusedNotLeftWaiting() throws {
        let clock = ManualClock(startNanoseconds: 1_000_000_000)
        let connected = try Server.Connected(clock: clock)
        for request in [
            #"{"cmd":"subscribe","stream":"events","since":1000000000}"#,
            #"{"cmd":"events","since":1000000000,"follow":true}"#,
        ] {
            try Self.send(connected, request + "\n")
            let (text, _) = try Self.read(connected, until: "\n")
            #expect(text.contains("bad-request") && text.contains("past the last event"), "\(request): \(text)")
        }
    }

    @Test func theStateStreamCarriesTheSideServices() throws {
        let clock = ManualClock(startNanoseconds: 1_000_000_000)
        let connected = try Server.Connected(clock: clock)
        connected.server.attachService { StatusReport.Service(name: "neighbours", state: "exchanging", counters: ["dropped": 3]) }
        try Self.send(connected, #"{"cmd":"subscribe","stream":"state","interval_ms":100}"# + "\n")
        // The first state line goes at once after the subscription's reply.
        let (text, _) = try Self.read(connected, until: #""stream":"state""#)
        let state = text.split(separator: "\n").first { $0.contains(#""stream":"state""#) } ?? ""
        #expect(state.contains(#""name":"neighbours""#), "\(text)")
    }
}
