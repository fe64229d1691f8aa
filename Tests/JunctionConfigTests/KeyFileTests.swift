import Foundation
import JunctionConfig
import Testing

/// Key files (`key_file`) are read at start as junction files are: a FIFO is refused without
/// blocking the start, an oversized or non-UTF-8 file is refused, and each message names the path.
@Suite struct KeyFileTests {
    @Test func aKeyFileIsReadAsText() throws {
        let directory = try HostileFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("upstream.key").path
        try Data((String(repeating: "ab", count: 32) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(try KeyFile.text(at: path) == String(repeating: "ab", count: 32) + "\n")
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let directory = try HostileFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("upstream.key").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let message = HostileFileTests.reading(fifo: fifo) { Self.refusal(fifo) }
        #expect(message == "key file \(fifo): is a FIFO (named pipe), not a regular file")
    }

    @Test func anOversizedOrBinaryFileIsRefused() throws {
        let directory = try HostileFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let large = directory.appendingPathComponent("large.key").path
        try Data(repeating: UInt8(ascii: "a"), count: KeyFile.largestBytes + 1).write(to: URL(fileURLWithPath: large))
        #expect(Self.refusal(large) == "key file \(large): the file has more than 4096 bytes, the most allowed")
        let binary = directory.appendingPathComponent("binary.key").path
        try Data([0xAB, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: binary))
        #expect(Self.refusal(binary) == "key file \(binary): the file is not UTF-8 text")
        let absent = directory.appendingPathComponent("absent.key").path
        #expect(Self.refusal(absent) == "key file \(absent): no such file")
    }

    /// The message reading `path` fails with; nil (with an issue recorded) when it reads.
    static func refusal(_ path: String) -> String? {
        do {
            let text = try KeyFile.text(at: path)
            Issue.record("\(path) read: \(text.count) characters")
            return nil
        } catch {
            return error.description
        }
    }
}
