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

    /// How long `exit` waits for queued lines to reach stderr: long enough for a reader that is
    /// merely slow, short enough that a dead one cannot hold up the exit of a stopped junction.
    package static let exitFlushMilliseconds = 2_000

    /// Installs `JournalLogHandler` for every logger, writing through `LogWriter.standardError`,
    /// whose thread starts here. swift-log allows this once per process.
    ///
    /// From here on, `exit` first waits up to `exitFlushMilliseconds` for the queued lines to be
    /// written. `LogWriter.standardError.droppedLines` counts the lines a full queue lost.
    package static func bootstrap(level: Logger.Level, format: JournalLogHandler.Format = detectFormat()) {
        // Made on the calling thread (main), not by whichever thread logs first: the writer thread
        // inherits its creator's signal mask and scheduling, and must not be a real-time thread.
        let writer = LogWriter.standardError
        // The writer's thread dies with the process, so lines still queued at exit would be lost.
        atexit { _ = LogWriter.standardError.flush(timeoutMilliseconds: LogSetup.exitFlushMilliseconds) }
        LoggingSystem.bootstrap { label in
            JournalLogHandler(label: label, format: format, level: level, writer: writer)
        }
    }
}
