import Glibc
import Logging
import SystemInterface

/// A swift-log handler writing one line per message to stderr, in the form journald understands
/// when the daemon runs under systemd, and with a timestamp when it runs in a terminal.
///
/// - `.journal`: `<4>junctiond: message key=value`. The `<N>` prefix is the syslog priority, which
///   journald strips and stores as the entry's PRIORITY (so `journalctl -p warning` works); journald
///   adds its own timestamp.
/// - `.plain`: `2025-11-29T03:40:12.345Z warning junctiond: message key=value`, in UTC.
///
/// Lines go through a `LogWriter`, which writes each with a single write(2) from its own thread, so
/// lines from different threads never interleave and logging never waits for stderr to be read.
/// A message's own line breaks are written as `\n` to keep one message one journal entry.
public struct JournalLogHandler: LogHandler {
    /// The line format.
    public enum Format: Sendable, Equatable {
        /// `<N>` syslog priority prefixes and no timestamp, for journald.
        case journal
        /// An ISO 8601 UTC timestamp and the level name, for terminals and files.
        case plain
    }

    /// The logger's label, written before each message.
    public let label: String
    /// The line format.
    public let format: Format
    /// Messages below this level are dropped by `Logger` before they reach the handler.
    public var logLevel: Logger.Level
    /// Metadata attached to every message from this handler.
    public var metadata: Logger.Metadata = [:]
    /// Adds metadata at each call, such as a task-local request ID.
    public var metadataProvider: Logger.MetadataProvider?
    /// Where the lines go.
    let writer: LogWriter

    /// A handler for `label` writing `format` lines for messages at `level` and above to stderr.
    public init(label: String, format: Format, level: Logger.Level) {
        self.init(label: label, format: format, level: level, writer: .standardError)
    }

    /// A handler like `init(label:format:level:)` whose lines go to `writer`.
    init(label: String, format: Format, level: Logger.Level, writer: LogWriter) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.writer = writer
    }

    /// Metadata of this handler by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Queues the event's line for the writer without waiting for stderr. A line that finds the
    /// writer's queue full, or whose write fails, has nowhere to be reported and is dropped; the
    /// queue's drops are counted and noted in the output (`LogWriter`).
    public func log(event: LogEvent) {
        writer.append(Array((render(event, at: Syscall.realtime()) + "\n").utf8), droppedNote: self)
    }

    /// The line, with its newline, saying that `count` lines were dropped at this point of the output.
    func droppedNote(count: Int) -> [UInt8] {
        let note = LogEvent(
            level: .warning,
            message: "\(count) log lines dropped: stderr was not taking them",
            metadata: nil,
            source: nil,
            file: #fileID,
            function: #function,
            line: #line
        )
        return Array((render(note, at: Syscall.realtime()) + "\n").utf8)
    }

    /// The line for `event` without its newline, stamped with `time` in the plain format.
    func render(_ event: LogEvent, at time: timespec) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            merged.merge(own) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = "\(error)"
        }
        var line: String
        switch format {
        case .journal:
            line = "<\(Self.syslogPriority(event.level))>\(label): "
        case .plain:
            line = "\(Self.timestamp(time)) \(event.level) \(label): "
        }
        line += Self.singleLine(event.message.description)
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted(Self.singleLine("\(merged[key]!)")))"
        }
        return line
    }

    /// The syslog priority journald stores for `level` (RFC 5424: 2 critical … 7 debug).
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    private static func singleLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else {
            return text
        }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\\n")
    }

    private static func quoted(_ value: String) -> String {
        value.isEmpty || value.contains(" ") ? "\"\(value)\"" : value
    }

    private static func timestamp(_ time: timespec) -> String {
        let utc = Syscall.utcCalendar(secondsSinceEpoch: Int(time.tv_sec))
        return "\(padded(utc.year, 4))-\(padded(utc.month, 2))-\(padded(utc.day, 2))T"
            + "\(padded(utc.hour, 2)):\(padded(utc.minute, 2)):\(padded(utc.second, 2))."
            + "\(padded(Int(time.tv_nsec) / 1_000_000, 3))Z"
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(width - digits.count, 0)) + digits
    }
}
