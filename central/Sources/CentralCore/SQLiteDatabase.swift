import CCentralSQLite

/// One open SQLite connection: the only file that calls the SQLite C API besides `SQLiteStatement`.
///
/// Not thread-safe on its own; each owner keeps it on one thread (the store's writer, or a reader behind a lock).
public final class SQLiteDatabase {
    let handle: OpaquePointer

    /// Opens (creating if needed) the database at `path`; `readOnly` opens an existing file for queries only.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        var pointer: OpaquePointer?
        let flags = readOnly
            ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &pointer, flags, nil)
        guard result == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(pointer)
            throw SQLiteError(code: result, operation: "open \(path)", message: message)
        }
        handle = pointer
        // A reader waits for the writer's short commits instead of failing with SQLITE_BUSY.
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows we need (schema, pragmas, transactions).
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard result == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: result & 0xff, operation: "execute \(sql.prefix(40))", message: message)
        }
    }

    /// Compiles `sql` once for repeated use.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw SQLiteError(code: result & 0xff, operation: "prepare \(sql.prefix(40))", message: lastErrorMessage)
        }
        return SQLiteStatement(database: self, handle: statement)
    }

    /// Runs a pragma or query whose first column of the first row is text (for example `PRAGMA journal_mode=WAL`).
    public func scalarText(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE; an `INSERT OR IGNORE` that hit a duplicate changes 0.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}
