/// A failure reported by SQLite: its result code, the call that failed and SQLite's own message.
///
/// Every non-OK result of the C API becomes one of these; nothing in this module traps on a result code.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite's extended result code (`SQLITE_FULL` = 13, `SQLITE_IOERR_FSYNC` = 1034, …).
    public var extendedCode: Int32
    /// What was being done: the SQL (shortened) or the call, for example `open /var/lib/x.db` or `bind`.
    public var operation: String
    public var message: String

    public init(extendedCode: Int32, operation: String, message: String) {
        self.extendedCode = extendedCode
        self.operation = operation
        self.message = message
    }

    /// SQLite's primary result code: the extended code's low byte.
    public var code: Int32 { extendedCode & 0xFF }

    /// True when the disk (or the database's page limit) is full: nothing of the failed transaction was written,
    /// and callers report it and keep running rather than treat it as a broken store.
    public var isDiskFull: Bool { code == 13 }

    public var description: String { "sqlite \(operation) failed (\(extendedCode)): \(message)" }
}
