import Glibc

// The process's environment, identity and standard streams: the small calls the daemon,
// junctionctl and the runtime make outside any descriptor they own, so none of them imports Glibc
// for a getenv.
extension Syscall {
    /// The value of environment variable `name`, or nil when it is unset.
    package static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The real user ID of this process.
    package static func userID() -> UInt32 {
        getuid()
    }

    /// The effective user ID of this process (the owner of what it creates).
    package static func effectiveUserID() -> UInt32 {
        geteuid()
    }

    /// The name of user `uid`, if the system has one.
    package static func userName(_ uid: UInt32) -> String? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, let found else { return nil }
        return String(cString: found.pointee.pw_name)
    }

    /// The name of group `gid`, if the system has one.
    package static func groupName(_ gid: UInt32) -> String? {
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &found) == 0, let found else { return nil }
        return String(cString: found.pointee.gr_name)
    }

    /// Whether this process may create and enter entries in `directory` (access(2) W_OK|X_OK).
    package static func mayCreateFiles(in directory: String) -> Bool {
        access(directory, W_OK | X_OK) == 0
    }

    /// Whether standard output is a terminal (chooses the live view over plain lines).
    package static func standardOutputIsTerminal() -> Bool {
        isatty(STDOUT_FILENO) == 1
    }

    /// The rows and columns of the terminal on standard output (TIOCGWINSZ), or nil when it is not
    /// a terminal or reports no size (a serial console, for one).
    package static func standardOutputTerminalSize() -> (rows: Int, columns: Int)? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }

    /// Flushes every stdio stream, so `print` output reaches a pipe before the process blocks,
    /// exits or another writer (a child, raw write(2)) follows.
    package static func flushStandardStreams() {
        fflush(nil)
    }

    /// Writes `text` to standard error with one write(2), bypassing stdio's buffer. Best effort:
    /// a closed or full stderr has nowhere left to report to.
    package static func writeToStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }

    /// Sleeps for `milliseconds` of CLOCK_MONOTONIC; a signal does not shorten it.
    package static func sleep(milliseconds: Int) {
        sleepUntil(monotonicNanoseconds: Clocks.monotonicNanoseconds() + milliseconds * 1_000_000)
    }
}
