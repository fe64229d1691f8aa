import CSQLite

/// A compiled statement, reused across runs: bind, step, read columns, reset.
///
/// The calls a store makes per row (`bind`, `step`, `run`, `int64`, `reset`) are inlinable and allocate nothing,
/// so an ingest loop that reuses its statements costs SQLite's own work and no more.
public final class SQLiteStatement {
    @usableFromInline let database: SQLiteDatabase
    @usableFromInline let handle: OpaquePointer

    init(database: SQLiteDatabase, handle: OpaquePointer) {
        self.database = database
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds an integer to the 1-based parameter `index`.
    @inlinable
    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        let result = sqlite3_bind_int64(handle, index, value)
        guard result == SQLITE_OK else { throw database.error(result, operation: "bind") }
    }

    /// Binds text to the 1-based parameter `index`; SQLite copies it, so the string need not outlive the call.
    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        let result = csqlite_bind_text_transient(handle, index, value)
        guard result == SQLITE_OK else { throw database.error(result, operation: "bind") }
    }

    /// Binds SQL NULL to the 1-based parameter `index`.
    @inlinable
    public func bindNull(at index: Int32) throws(SQLiteError) {
        let result = sqlite3_bind_null(handle, index)
        guard result == SQLITE_OK else { throw database.error(result, operation: "bind") }
    }

    /// Resets the statement and binds `values` to its parameters 1, 2, …, ready to `step`.
    @inlinable
    public func bind(_ values: Int64...) throws(SQLiteError) {
        reset()
        for index in values.indices { try bind(values[index], at: Int32(index + 1)) }
    }

    /// Advances to the next row: true when a row is ready to read, false when the statement is done. On an error
    /// the statement is reset, so it can be bound and run again.
    @inlinable
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(result, operation: String(cString: sqlite3_sql(handle)))
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Makes the statement ready to run again, clearing its bindings.
    @inlinable
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `values` to parameters 1, 2, …, runs the statement to completion (an INSERT, UPDATE or DELETE) and
    /// resets it. The statement must be reset when this is called (every call here leaves it so).
    @inlinable
    public func run(_ values: Int64...) throws(SQLiteError) {
        defer { reset() }
        for index in values.indices { try bind(values[index], at: Int32(index + 1)) }
        while try step() {}
    }

    /// The integer in column `index` (0-based) of the current row.
    @inlinable
    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// The text in column `index` (0-based) of the current row, or nil for NULL.
    public func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: pointer)
    }
}
