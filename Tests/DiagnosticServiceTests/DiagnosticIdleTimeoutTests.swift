import Diagnostics
import FieldIO
import Glibc
import JunctionConfig
import Logging
import RealTimeEngine
import RuntimeTestSupport
import SignalCore
import SystemInterface
import Testing

@testable import DiagnosticService

/// The diagnostic server's idle timeout on a clock the test moves: no test waits out a timeout.
@Suite struct DiagnosticIdleTimeoutTests {
    static let idleMilliseconds = 1_000

    /// A running server on `clock` in a scratch directory, with the built-in junction.
    static func server(
        clock: ManualClock, in scratch: ScratchDirectory, idleMilliseconds: Int = idleMilliseconds
    ) throws -> DiagnosticServer {
        let configuration = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm)
        let field = SimulatedJunction(junction: configuration.junction, seed: 3)
        let engine = JunctionEngine(junction: configuration.junction, inputs: field, outputs: field)
        let loop = try RealTimeLoop(periodNanoseconds: 100_000_000, logger: Logger(label: "test"))
        var options = DiagnosticServer.Options(directory: scratch.path + "/run", settings: DiagnosticsSettings())
        options.idleTimeoutMilliseconds = idleMilliseconds
        options.clock = clock
        let server = try DiagnosticServer(
            options: options, engine: engine, loop: loop, configuration: configuration, source: "built-in",
            fieldBackends: .init(detectors: "simulated", outputs: "simulated"), logger: Logger(label: "test"))
        try server.start()
        return server
    }

    /// A server on `clock` in a scratch directory and one client connected to its read socket;
    /// the client is closed and the server stopped when the value goes.
    final class Connected {
        let scratch: ScratchDirectory
        let server: DiagnosticServer
        let client: CInt

        init(clock: ManualClock, idleMilliseconds: Int = DiagnosticIdleTimeoutTests.idleMilliseconds) throws {
            scratch = try ScratchDirectory()
            server = try DiagnosticIdleTimeoutTests.server(clock: clock, in: scratch, idleMilliseconds: idleMilliseconds)
            client = try Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_STREAM.rawValue))
            try Syscall.connect(client, to: UnixSocketAddress(server.options.readSocketPath))
        }

        deinit {
            Syscall.close(client)
            server.stop()
        }
    }

    /// Waits until the server's thread has read the clock on two more passes: the second began
    /// after this call, so it saw every move of the clock made before.
    static func awaitPass(_ clock: ManualClock) -> Bool {
        let seen = clock.reads
        return eventually { clock.reads >= seen + 2 }
    }

    /// Everything the server has sent that is waiting now, and whether it then closed.
    static func drain(_ descriptor: CInt) throws -> (text: String, closed: Bool) {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while try Syscall.waitReadable(descriptor, timeoutMilliseconds: 0) {
            let count = try buffer.withUnsafeMutableBytes { try Syscall.receive(descriptor, into: $0) }
            if count == 0 { return (text, true) }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
        return (text, false)
    }

    @Test func aSilentClientIsClosedWhenTheClockPassesTheLimitAndNotBefore() throws {
        let clock = ManualClock(startNanoseconds: 7_000_000_000)
        let connected = try Connected(clock: clock)
        let client = connected.client
        // Accepted on the clock's reading now: the idle time counts from here.
        #expect(Self.awaitPass(clock))

        clock.advance(by: Self.idleMilliseconds * 1_000_000)
        #expect(Self.awaitPass(clock))
        let atLimit = try Self.drain(client)
        #expect(atLimit.text.isEmpty && !atLimit.closed, "idle exactly the limit is not yet too long: \(atLimit)")

        clock.advance(by: 1)
        #expect(Self.awaitPass(clock))
        // The closing line and the end of the stream follow the pass; waiting for them is waiting
        // for an event, bounded only so that a broken server fails the test instead of hanging it.
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while try Syscall.waitReadable(client, timeoutMilliseconds: 5_000) {
            let count = try buffer.withUnsafeMutableBytes { try Syscall.receive(client, into: $0) }
            if count == 0 { break }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1, "one error line, then the end of the stream: \(text)")
        let message = try ResponseMessage.parse(Array((lines.first.map(String.init) ?? "").utf8))
        guard case .error(let code, _, let why) = message.kind else {
            Issue.record("not an error line: \(text)")
            return
        }
        #expect(code == .timeout)
        #expect(why == "idle for 1 s")
    }

    @Test func aRequestRestartsTheIdleTime() throws {
        let clock = ManualClock()
        let connected = try Connected(clock: clock)
        let client = connected.client
        #expect(Self.awaitPass(clock))

        clock.advance(by: Self.idleMilliseconds * 1_000_000 - 1)
        let request = Array(RequestEnvelope(id: .integer(1), request: .hello).line.utf8)
        _ = try request.withUnsafeBytes { try Syscall.sendNow(client, $0) }
        #expect(try Syscall.waitReadable(client, timeoutMilliseconds: 5_000), "the hello reply")
        let reply = try Self.drain(client)
        #expect(reply.text.contains("\"hello\"") && !reply.closed, "\(reply)")

        // Past the limit counted from the first connection, within it counted from the request.
        clock.advance(by: Self.idleMilliseconds * 1_000_000)
        #expect(Self.awaitPass(clock))
        let after = try Self.drain(client)
        #expect(after.text.isEmpty && !after.closed, "\(after)")
    }
}
