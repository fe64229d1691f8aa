import Diagnostics
import Foundation
import Glibc
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import DiagnosticService

/// What the server blames on a client when the server itself has stopped: a reader whose replies pile up
/// unread is a slow reader, not a client that never finished its line, and a client that hung up holds no slot.
@Suite struct DiagnosticBackpressureTests {
    typealias Server = DiagnosticIdleTimeoutTests

    /// A new connection to the server's read socket.
    static func connect(_ connected: Server.Connected) throws -> CInt {
        let client = try Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_STREAM.rawValue))
        try Syscall.connect(client, to: UnixSocketAddress(connected.server.options.readSocketPath))
        return client
    }

    /// Sends `line` and returns the first line of the answer, bounded so that a broken server fails the test.
    static func ask(_ client: CInt, _ line: String) throws -> String {
        let bytes = Array((line + "\n").utf8)
        let sent = try bytes.withUnsafeBytes { try Syscall.sendNow(client, $0) }
        #expect(sent == bytes.count)
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while !text.contains(0x0A), try Syscall.waitReadable(client, timeoutMilliseconds: 5_000) {
            let count = try buffer.withUnsafeMutableBytes { try Syscall.receive(client, into: $0) }
            if count == 0 { break }
            text += buffer[..<count]
        }
        return String(decoding: text.prefix { $0 != 0x0A }, as: UTF8.self)
    }

    /// The server's counters as a new client sees them in `status`.
    static func serverCounters(_ connected: Server.Connected) throws -> String {
        let client = try connect(connected)
        defer { Syscall.close(client) }
        return try ask(client, #"{"cmd":"status"}"#)
    }

    @Test func aClientWhoseRepliesPileUpIsASlowReaderNotAnUnfinishedLine() throws {
        let clock = ManualClock(startNanoseconds: 1_000_000_000)
        let connected = try Server.Connected(clock: clock, idleMilliseconds: 600_000)
        let reader = connected.client
        let one = try Self.ask(reader, #"{"cmd":"config"}"#)
        // Complete requests whose replies far outgrow the socket buffers and the server's read pause.
        let requests = String(repeating: #"{"cmd":"config"}"# + "\n", count: 1_500_000 / one.utf8.count + 1)
        let bytes = Array(requests.utf8)
        #expect(try bytes.withUnsafeBytes { try Syscall.sendNow(reader, $0) } == bytes.count)
        for _ in 0..<10 { #expect(Server.awaitPass(clock)) }

        // Longer than a line may take, while every line the server has not read is complete.
        clock.advance(by: 11_000_000_000)
        #expect(Server.awaitPass(clock))
        let paused = try Self.serverCounters(connected)
        #expect(paused.contains(#""timeouts":0"#) && paused.contains(#""slow_consumers":0"#), "\(paused)")

        // Nothing taken for longer than the write timeout (30 s): closed as a slow reader.
        clock.advance(by: 20_000_000_000)
        #expect(Server.awaitPass(clock))
        let closed = try Self.serverCounters(connected)
        #expect(closed.contains(#""timeouts":0"#) && closed.contains(#""slow_consumers":1"#), "\(closed)")
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while try Syscall.waitReadable(reader, timeoutMilliseconds: 5_000) {
            let count = try buffer.withUnsafeMutableBytes { try Syscall.receive(reader, into: $0) }
            if count == 0 { break }
            received += buffer[..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(!text.contains(#""error""#), "only replies, no error line: \(text.suffix(300))")
    }

    @Test func aClientThatHungUpGivesItsSlotBackBeforeOthersAreRefused() throws {
        let connected = try Server.Connected(clock: ManualClock(), idleMilliseconds: 600_000)
        let path = connected.server.options.readSocketPath
        final class Flag: Sendable { let raised = Atomic(false) }
        let done = Flag()
        let churn = Thread {
            // Connects and leaves at once, faster than the server reads the ends: at most one is connected.
            while !done.raised.load(ordering: .relaxed) {
                guard let client = try? Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_STREAM.rawValue)) else { continue }
                try? Syscall.connect(client, to: UnixSocketAddress(path))
                Syscall.close(client)
            }
        }
        churn.start()
        var refused: [String] = []
        for _ in 0..<100 {
            let client = try Self.connect(connected)
            let reply = try Self.ask(client, #"{"cmd":"hello"}"#)
            Syscall.close(client)
            if !reply.contains(#""ok":true"#) { refused.append(reply) }
        }
        done.raised.store(true, ordering: .relaxed)
        #expect(refused.count == 0, "of 100 refused with at most two clients connected: \(refused.prefix(2))")
        let counters = try Self.serverCounters(connected)
        #expect(counters.contains(#""refused_busy":0"#), "\(counters.suffix(400))")
    }
}
