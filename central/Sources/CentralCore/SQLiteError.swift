/// A failure reported by SQLite, with the call that failed and SQLite's own message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's primary result code (`SQLITE_FULL` = 13, `SQLITE_CORRUPT` = 11, …).
    public var code: Int32
    /// What the store was doing, for example `prepare` or `commit`.
    public var operation: String
    public var message: String

    /// True when the disk (or the database size limit) is full: the caller reports it and keeps running.
    public var isDiskFull: Bool { code == 13 }

    public var description: String { "sqlite \(operation) failed (\(code)): \(message)" }
}
