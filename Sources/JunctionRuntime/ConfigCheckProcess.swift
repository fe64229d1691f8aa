import Glibc
import Synchronization
import SystemInterface

/// Checks a junction file in a child process, `junctiond --check-config PATH`, before the daemon
/// parses it itself.
///
/// Why a child: the TOML library (TOMLKit 0.6.0) never frees what it parses (its tables have no
/// deinit, and every table or array it hands out is a fresh copy made with `new`), so each parse
/// in the daemon leaked memory in proportion to the file, and a refused reload's memory was never
/// returned. In a child, that memory goes when the child exits; the daemon parses only files the
/// child found valid. The child is also bounded: one that takes longer than `timeoutNanoseconds`
/// (a FIFO nobody writes, a pathological file) is killed, and so is one still running when the
/// daemon stops.
final class ConfigCheckProcess: Sendable {
    /// What the child said about the file.
    enum Verdict: Sendable, Equatable {
        case valid
        /// Refused; `report` is the child's error report (at most `largestReportBytes`).
        case invalid(report: String)
    }

    /// The most of a child's report kept; the rest is read and dropped, and the cut said.
    static let largestReportBytes = 4 << 20

    private let executable: String
    private let timeoutNanoseconds: Int
    private let running = Atomic<Int32>(0)

    /// A checker running `executable --check-config PATH`; the daemon passes `/proc/self/exe`.
    init(executable: String = "/proc/self/exe", timeoutNanoseconds: Int = 60_000_000_000) {
        self.executable = executable
        self.timeoutNanoseconds = timeoutNanoseconds
    }

    /// Runs the check of `path` and waits for its verdict (on the caller's thread: a reader thread).
    func check(_ path: String) -> Verdict {
        let pipe: (read: CInt, write: CInt)
        let pid: pid_t
        do {
            pipe = try Syscall.pipe()
        } catch {
            return .invalid(report: "\(path): cannot check the file: \(error)")
        }
        do {
            // The child writes its report with one write(2): a non-blocking pipe would cut it.
            try Syscall.setBlocking(pipe.write)
        } catch {
            Syscall.close(pipe.read)
            Syscall.close(pipe.write)
            return .invalid(report: "\(path): cannot check the file: \(error)")
        }
        defer { Syscall.close(pipe.read) }
        do {
            pid = try Syscall.spawn([executable, "--check-config", path], standardError: pipe.write)
            Syscall.close(pipe.write)
        } catch {
            Syscall.close(pipe.write)
            return .invalid(report: "\(path): cannot check the file: \(error)")
        }
        running.store(pid, ordering: .relaxed)
        let (report, timedOut) = readReport(pipe.read)
        if timedOut { Syscall.kill(pid, SIGKILL) }
        let status = (try? Syscall.waitForChild(pid)) ?? -1
        running.store(0, ordering: .relaxed)
        if timedOut {
            return .invalid(report: "\(path): not read within \(timeoutNanoseconds / 1_000_000_000) s (a FIFO? a device?)")
        }
        if status == 0 { return .valid }
        let exited = status & 0x7F == 0
        let why = exited ? "" : "\(path): the check was ended by signal \(status & 0x7F)\n"
        return .invalid(report: why + report)
    }

    /// Kills a check still running, so that no child outlives the daemon.
    func stop() {
        let pid = running.load(ordering: .relaxed)
        if pid > 0 { Syscall.kill(pid, SIGKILL) }
    }

    /// The child's stderr until it closes it or the time is up.
    private func readReport(_ descriptor: CInt) -> (report: String, timedOut: Bool) {
        let deadline = Syscall.monotonicNanoseconds() + timeoutNanoseconds
        var kept: [UInt8] = []
        var dropped = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let left = deadline - Syscall.monotonicNanoseconds()
            if left <= 0 { return (String(decoding: kept, as: UTF8.self), true) }
            let slice = CInt(min(left / 1_000_000 + 1, 1_000))
            guard (try? Syscall.waitReadable(descriptor, timeoutMilliseconds: slice)) == true else { continue }
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(SystemError) in try Syscall.read(descriptor, into: raw) }
                }.get()
            } catch {
                if error.code == EAGAIN { continue }
                break
            }
            if count == 0 { break }
            let room = max(Self.largestReportBytes - kept.count, 0)
            kept += buffer[..<min(count, room)]
            dropped += count - min(count, room)
        }
        var report = String(decoding: kept, as: UTF8.self)
        if dropped > 0 { report += "\n(\(dropped) more bytes of the report dropped)" }
        return (report, false)
    }
}
