import Foundation
import JunctionConfig
import Synchronization
import Testing

/// Paths that are not regular files (issue 13, defect 1): each is refused at once, by what it is,
/// instead of blocking the loader (a FIFO) or giving a Foundation error number (a directory).
@Suite struct HostileFileTests {
    /// Tells the FIFO test's writer thread to stop.
    final class Flag: Sendable {
        let value = Atomic(false)
    }

    /// A fresh directory under the temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("junction-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The one problem loading `path` gives; records an issue when it loads or gives several.
    static func onlyProblem(loading path: String) -> ConfigProblem? {
        do {
            _ = try JunctionConfigLoader().load(path: path)
            Issue.record("\(path) loaded")
            return nil
        } catch {
            #expect(error.problems.count == 1, "\(error)")
            return error.problems.first
        }
    }

    /// Runs `read` on the FIFO at `fifo`. Should it open the FIFO and wait for a writer (as the
    /// loader once did), a thread becomes that writer and closes at once: the read then sees an
    /// empty file and the caller's expectations fail, instead of the test hanging forever.
    static func reading<Result>(fifo: String, _ read: () -> Result) -> Result {
        let finished = Flag()
        let unblocker = Thread {
            while !finished.value.load(ordering: .acquiring) {
                let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 {
                    close(descriptor)
                    return
                }
                usleep(1000)
            }
        }
        unblocker.start()
        defer { finished.value.store(true, ordering: .releasing) }
        return read()
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("junction.toml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let problem = Self.reading(fifo: fifo) { Self.onlyProblem(loading: fifo) }
        #expect(problem?.kind == .unreadable)
        #expect(problem?.message.contains("is a FIFO") == true, "\(String(describing: problem))")
    }

    @Test func aDirectoryIsNamedAsSuch() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let problem = Self.onlyProblem(loading: directory.path)
        #expect(problem?.kind == .unreadable)
        #expect(problem?.message.contains("is a directory") == true, "\(String(describing: problem))")
        #expect(problem?.message.contains("NSCocoaErrorDomain") == false)
    }

    @Test func aDeviceIsNamedAsSuch() {
        let problem = Self.onlyProblem(loading: "/dev/null")
        #expect(problem?.kind == .unreadable)
        #expect(problem?.message.contains("is a device") == true, "\(String(describing: problem))")
    }

    @Test func aMissingFileSaysSo() {
        let problem = Self.onlyProblem(loading: "/nonexistent/junction.toml")
        #expect(problem?.kind == .unreadable)
        #expect(problem?.message == "no such file")
    }

    @Test func aFileOverTheLimitIsRefusedBeforeParsing() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.toml")
        try Data(repeating: UInt8(ascii: "#"), count: JunctionConfigLoader.largestFileBytes + 1).write(to: file)
        #expect(Self.onlyProblem(loading: file.path)?.kind == .tooLarge)
    }

    @Test func aFileWithANulByteIsRefusedAtTheByte() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("nul.toml")
        // Everything after the NUL (here the plans) used to be ignored, and the rest accepted.
        let text = ConfigFixture.replacing("[[plans]]", with: "\0[[plans]]")
        try Data(text.utf8).write(to: file)
        let problem = Self.onlyProblem(loading: file.path)
        #expect(problem?.line == ConfigFixture.line(containing: "[[plans]]", in: text))
        #expect(problem?.column == 1)
        #expect(problem?.message.contains("NUL") == true, "\(String(describing: problem))")
    }
}
