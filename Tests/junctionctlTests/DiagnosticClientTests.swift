import Diagnostics
import Foundation
import Glibc
import XCTest

@testable import junctionctl

/// `DiagnosticClient` against a socket in this process that misbehaves on purpose: `--timeout` is a
/// deadline for the reply, a long line in small pieces is read whole, and a path that is not a socket
/// is named for what it is.
final class DiagnosticClientTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "junctionctl-client-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testTheTimeoutIsADeadlineForTheReplyNotForEachLine() throws {
        // A stream line every 200 ms, and never the reply: each line used to restart the wait.
        let path = serve { connection in
            for _ in 0..<25 {
                guard Self.send(connection, Array("{\"v\":1,\"stream\":\"state\",\"data\":{}}\n".utf8)) else { return }
                usleep(200_000)
            }
        }
        let client = try DiagnosticClient(path: path, access: .read)
        // Restarting the wait with each line, the client outlasted the drip and saw the socket close.
        XCTAssertThrowsError(try client.call(.status, timeoutSeconds: 1)) { error in
            guard case ClientError.timeout(seconds: 1) = error else { return XCTFail("\(error)") }
        }
    }

    func testALongReplyLineArrivingInSmallPiecesIsReadWhole() throws {
        // Just under the response limit, in the small pieces a busy socket delivers.
        let head = Array("{\"v\":1,\"id\":1,\"ok\":true,\"reply\":\"status\",\"data\":\"".utf8)
        let line = head + [UInt8](repeating: UInt8(ascii: "A"), count: JSONLimits.response.maxBytes - head.count - 100)
            + Array("\"}\n".utf8)
        let path = serve { connection in
            var sent = 0
            while sent < line.count {
                let end = min(line.count, sent + 16 << 10)
                guard Self.send(connection, Array(line[sent..<end])) else { return }
                sent = end
            }
        }
        let client = try DiagnosticClient(path: path, access: .read)
        // Each piece is searched for the line's end from where the last search stopped, so the line
        // costs time linear in its length (a rescan of the whole buffer per piece took over 10 s in
        // a debug build); this checks the pieces are joined right, not the time.
        let reply = try client.call(.status, timeoutSeconds: 120)
        XCTAssertEqual(reply.id, .integer(1))
    }

    func testAPathThatIsNotASocketIsNamedForWhatItIs() throws {
        let file = directory + "/plain"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        XCTAssertEqual(connectionReason(file), "it is a regular file, not a socket")
        XCTAssertEqual(connectionReason(directory), "it is a directory, not a socket")
        XCTAssertEqual(connectionReason(""), "the socket path is empty")
        XCTAssertEqual(connectionReason("/" + String(repeating: "x", count: 200)), "the path is longer than 107 bytes")
    }

    /// The reason of the `.connection` error connecting to `path` throws; nil for any other outcome.
    private func connectionReason(_ path: String) -> String? {
        do {
            _ = try DiagnosticClient(path: path, access: .read)
        } catch {
            if case .connection(_, let reason) = error { return reason }
            XCTFail("\(path): \(error)")
        }
        return nil
    }

    /// Listens on a socket in the test's directory and runs `body` on the first connection, on a
    /// thread of its own, after reading the request; returns the socket's path.
    private func serve(_ body: @escaping @Sendable (CInt) -> Void) -> String {
        let path = directory + "/fake.sock"
        let listener = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 1), 0)
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            close(listener)
            var request = [UInt8](repeating: 0, count: 4096)
            _ = recv(connection, &request, request.count, 0)
            body(connection)
            close(connection)
        }
        return path
    }

    /// Sends all of `bytes`; false once the client has gone.
    private static func send(_ connection: CInt, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }
}
