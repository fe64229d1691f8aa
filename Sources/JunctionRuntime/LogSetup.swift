import Glibc
import Logging
import SystemInterface

/// Process-wide logging setup: picks the journald or plain line format and installs
/// `JournalLogHandler` as swift-log's backend.
public enum LogSetup {
    /// The names `parseLevel` accepts, for error messages about a bad `--log-level` or config value.
    public static let levelNames = Logger.Level.allCases.map(\.rawValue)

    /// The level for `text` (`"info"`, `"warning"`; also `"warn"`), or nil if it names none.
    public static func parseLevel(_ text: String) -> Logger.Level? {
        let name = text.lowercased()
        return name == "warn" ? .warning : Logger.Level(rawValue: name)
    }

    /// `.journal` when stderr is connected to journald, else `.plain`.
    ///
    /// systemd sets `JOURNAL_STREAM=device:inode` for a service whose stderr goes to the journal.
    /// Only a match with stderr's own device and inode counts: a child that inherited the variable
    /// but has stderr redirected elsewhere must not write `<N>` prefixes into a file.
    ///
    /// - Parameter journalStream: the value of `JOURNAL_STREAM`; the environment's by default.
    package static func detectFormat(journalStream: String? = Syscall.environment("JOURNAL_STREAM"))
        -> JournalLogHandler.Format
    {
        guard let journalStream, let status = try? Syscall.fstat(STDERR_FILENO) else {
            return .plain
        }
        let parts = journalStream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else {
            return .plain
        }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode ? .journal : .plain
    }

    /// Installs `JournalLogHandler` for every logger. swift-log allows this once per process.
    package static func bootstrap(level: Logger.Level, format: JournalLogHandler.Format = detectFormat()) {
        LoggingSystem.bootstrap { label in
            JournalLogHandler(label: label, format: format, level: level)
        }
    }
}
