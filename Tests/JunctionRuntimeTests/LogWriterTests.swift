import Glibc
import Logging
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import JunctionRuntime

/// The log writer against a real pipe standing for stderr: blocking, like stderr, and unread
/// until the test reads it, like a stalled journald stream.
@Suite struct LogWriterTests {
    /// A blocking pipe; `writeEnd` is the writer's stderr.
    private final class StderrPipe {
        let readEnd: CInt
        let writeEnd: CInt

        init() throws {
            var ends: [CInt] = [0, 0]
            guard pipe(&ends) == 0 else {
                throw SystemError(call: "pipe", code: errno)
            }
            (readEnd, writeEnd) = (ends[0], ends[1])
            // A child another test spawns must not hold the read end open past `close(after:)`.
            _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        }

        /// Closes the read end first: a writer stuck on the full pipe then fails with EPIPE and is
        /// free again, so no thread of the test is left waiting on it.
        func close(after writer: LogWriter) {
            Syscall.close(readEnd)
            _ = writer.flush(timeoutMilliseconds: 10_000)
            Syscall.close(writeEnd)
        }

        /// Reads whole lines until `isLast` holds for one, or nothing arrives for 10 s.
        func readLines(until isLast: (String) -> Bool) throws -> [String] {
            var lines: [String] = []
            var partial: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while try Syscall.waitReadable(readEnd, timeoutMilliseconds: 10_000) {
                let read = try buffer.withUnsafeMutableBytes { try Syscall.read(readEnd, into: $0) }
                if read == 0 {
                    break
                }
                partial += buffer[..<read]
                while let end = partial.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(String(decoding: partial[..<end], as: UTF8.self))
                    partial.removeSubrange(...end)
                    if isLast(lines[lines.count - 1]) {
                        return lines
                    }
                }
            }
            return lines
        }

        /// Reads the output of `before 0` to `before <total-1>` until each line is accounted for,
        /// written in order or counted by a drop note standing where it would have been, and
        /// returns the lines.
        func readAccounting(for total: Int) throws -> [String] {
            var expected = 0
            return try readLines { line in
                if line.hasPrefix("<6>test: before \(expected) padding=") {
                    expected += 1
                } else if line.hasSuffix(" log lines dropped: stderr was not taking them"),
                    let count = Int(line.dropFirst("<4>test: ".count).prefix { $0 != " " })
                {
                    expected += count
                } else {
                    Issue.record("line \(line.prefix(40)) where line \(expected) or a note belongs")
                    return true
                }
                return expected >= total
            }
        }
    }

    /// Logs `count` lines of about 200 bytes, `before 0` to `before <count-1>`, from another
    /// thread, and returns whether that thread finished: a logger that blocks on the full pipe
    /// never does, and is reported rather than left to hang the test.
    private func logFromAnotherThread(_ logger: Logger, count: Int) throws -> Bool {
        let finished = Atomic<Bool>(false)
        let padding = String(repeating: "x", count: 180)
        let thread = try PosixThread(name: "log-test") {
            // A logger that did block would otherwise take the SIGPIPE of `close(after:)` and end the
            // whole test run instead of failing this test.
            _ = try? Syscall.blockSignals([SIGPIPE])
            for index in 0..<count {
                logger.info("before \(index)", metadata: ["padding": "\(padding)"])
            }
            finished.store(true, ordering: .releasing)
        }
        guard eventually(timeoutMilliseconds: 30_000, { finished.load(ordering: .acquiring) }) else {
            return false
        }
        thread.join()
        return true
    }

    private func logger(to writer: LogWriter) -> Logger {
        Logger(label: "test") { label in
            JournalLogHandler(label: label, format: .journal, level: .info, writer: writer)
        }
    }

    @Test func loggingIntoAStalledPipeReturnsAndCountsDrops() throws {
        let stderr = try StderrPipe()
        let writer = try LogWriter(descriptor: stderr.writeEnd, capacityLines: 8)
        defer { stderr.close(after: writer) }

        // 2,000 lines of 200 bytes are six times what the 64 KiB pipe holds.
        #expect(try logFromAnotherThread(logger(to: writer), count: 2_000))
        #expect(writer.droppedLines > 0)
        #expect(writer.droppedLines <= 2_000 - writer.capacityLines)
        #expect(writer.flush(timeoutMilliseconds: 100) == false)
    }

    /// A FAKE monotonic clock the test moves by hand, for when the writer stops counting as dropping.
    private final class TestClock: Sendable {
        let nanoseconds = Atomic<Int>(0)
        func advance(by step: Int) { nanoseconds.add(step, ordering: .relaxed) }
        var read: @Sendable () -> Int { { [self] in nanoseconds.load(ordering: .relaxed) } }
    }

    @Test func drainingThePipeResumesWithTheDropNoteThenNewLines() throws {
        let stderr = try StderrPipe()
        let clock = TestClock()
        let writer = try LogWriter(descriptor: stderr.writeEnd, capacityLines: 8, clock: clock.read)
        defer { stderr.close(after: writer) }
        let logger = logger(to: writer)

        #expect(try logFromAnotherThread(logger, count: 2_000))
        let dropped = writer.droppedLines
        #expect(writer.isDropping)
        let lines = try stderr.readAccounting(for: 2_000)

        // Nothing was read until the logging was over, so the last lines were all dropped: the
        // output ends with their note, and the notes count every line dropped.
        let notes = lines.filter { $0.hasSuffix(" log lines dropped: stderr was not taking them") }
        #expect(dropped > 0)
        #expect(lines.count == 2_000 - dropped + notes.count)
        #expect(lines.last?.hasSuffix(" log lines dropped: stderr was not taking them") == true)

        logger.warning("after")
        #expect(try stderr.readLines { _ in true } == ["<4>test: after"])
        #expect(writer.droppedLines == dropped)
        // Lines go out again, but some were lost moments ago: still dropping, until the window
        // after the last drop has passed, whether or not anything more is logged.
        clock.advance(by: LogWriter.droppingWindowNanoseconds - 1)
        #expect(writer.isDropping)
        clock.advance(by: 1)
        #expect(!writer.isDropping)
    }

    @Test func flushWaitsForAStalledPipeOnlyUntilItsTimeoutAndSucceedsOnceDrained() throws {
        let stderr = try StderrPipe()
        let writer = try LogWriter(descriptor: stderr.writeEnd, capacityLines: 8)
        defer { stderr.close(after: writer) }

        #expect(try logFromAnotherThread(logger(to: writer), count: 2_000))
        #expect(writer.flush(timeoutMilliseconds: 50) == false)
        _ = try stderr.readAccounting(for: 2_000)
        #expect(writer.flush(timeoutMilliseconds: 10_000))
    }

    @Test func linesFromSeveralThreadsStayWholeAndInOrderPerThread() throws {
        let stderr = try StderrPipe()
        let writer = try LogWriter(descriptor: stderr.writeEnd, capacityLines: 4_096, capacityBytes: 16 << 20)
        defer { stderr.close(after: writer) }
        let logger = logger(to: writer)
        let threads = 4
        let linesEach = 300
        // Longer than a pipe's atomic write (PIPE_BUF, 4 KiB), so only whole-line writes keep them whole.
        let padding = String(repeating: "y", count: 6_000)

        let writers = try (0..<threads).map { thread in
            try PosixThread(name: "log-test-\(thread)") {
                for index in 0..<linesEach {
                    logger.info("thread \(thread) line \(index)", metadata: ["padding": "\(padding)"])
                }
            }
        }
        writers.forEach { $0.join() }
        logger.info("done")
        let lines = try stderr.readLines { $0 == "<6>test: done" }

        #expect(writer.droppedLines == 0)
        #expect(lines.count == threads * linesEach + 1)
        var next = [Int](repeating: 0, count: threads)
        for line in lines.dropLast() {
            let words = line.split(separator: " ")
            guard words.count == 6, let thread = Int(words[2]), let index = Int(words[4]), next.indices.contains(thread)
            else {
                Issue.record("not a whole line: \(line.prefix(80))")
                continue
            }
            #expect(line == "<6>test: thread \(thread) line \(index) padding=\(padding)")
            #expect(index == next[thread])
            next[thread] = index + 1
        }
        #expect(next == [Int](repeating: linesEach, count: threads))
    }
}
