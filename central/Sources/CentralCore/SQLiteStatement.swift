import CCentralSQLite

/// A compiled statement, reused across executions: bind, step, read columns, reset.
public final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let handle: OpaquePointer

    init(database: SQLiteDatabase, handle: OpaquePointer) {
        self.database = database
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds an integer to the 1-based parameter `index`.
    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value), "bind")
    }

    /// Binds text; SQLite copies it, so the string need not outlive the call.
    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_text(handle, index, value, -1, Self.transient), "bind")
    }

    /// Binds a blob; SQLite copies the bytes.
    public func bind(_ bytes: [UInt8], at index: Int32) throws(SQLiteError) {
        let result = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
        }
        try check(result, "bind")
    }

    /// Binds SQL NULL.
    public func bindNull(at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index), "bind")
    }

    /// Advances to the next row: true when a row is ready to read, false when the statement is done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let code = sqlite3_extended_errcode(database.handle) & 0xff
            let message = database.lastErrorMessage
            sqlite3_reset(handle)
            throw SQLiteError(code: code, operation: "step", message: message)
        }
    }

    /// Makes the statement ready to run again, clearing its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Runs the statement to completion with the given bindings, then resets it.
    public func run(_ values: Int64...) throws(SQLiteError) {
        defer { reset() }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
        try step()
    }

    /// The integer in column `index` (0-based) of the current row.
    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// True when column `index` of the current row is NULL.
    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// The text in column `index` of the current row, or nil for NULL.
    public func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: pointer)
    }

    /// The blob in column `index` of the current row (empty for NULL).
    public func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private func check(_ result: Int32, _ operation: String) throws(SQLiteError) {
        guard result == SQLITE_OK else {
            throw SQLiteError(code: result & 0xff, operation: operation, message: database.lastErrorMessage)
        }
    }

    // SQLITE_TRANSIENT is a macro the importer cannot see: the value -1 cast to a destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
