import CSQLite

/// One open SQLite connection: with `SQLiteStatement`, the only code in the project that calls SQLite's C API.
///
/// Every non-OK result becomes a thrown `SQLiteError`. Not thread-safe: a connection belongs to one thread at a
/// time (a store's writer, or a reader behind its owner's lock); WAL mode lets connections on other threads read
/// and write the same file alongside it.
public final class SQLiteDatabase {
    @usableFromInline let handle: OpaquePointer

    /// Opens the database at `path`, creating it unless `readOnly`. While another connection holds the write lock,
    /// calls wait up to `busyTimeoutMilliseconds` for it instead of failing with SQLITE_BUSY.
    public init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 5_000) throws(SQLiteError) {
        var pointer: OpaquePointer?
        let flags =
            readOnly
            ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &pointer, flags, nil)
        guard result == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_close_v2(pointer)
            throw SQLiteError(extendedCode: result, operation: "open \(path)", message: message)
        }
        handle = pointer
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements whose rows are not needed (schema, pragmas, BEGIN and COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw error(result, operation: sql) }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE` … `COMMIT`). On any error, a failed COMMIT
    /// (SQLITE_FULL among others) included, it rolls back, so nothing of `body` stays, and rethrows.
    public func transaction<Result>(_ body: () throws(SQLiteError) -> Result) throws(SQLiteError) -> Result {
        try execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // A failed COMMIT can leave the transaction open.
            if inTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Compiles `sql` once, to be bound and run many times.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw error(result, operation: sql) }
        return SQLiteStatement(database: self, handle: statement)
    }

    /// The integer in the first column of the first row of `sql` (a count, a pragma), 0 when there is no row.
    public func integer(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return statement.int64(0)
    }

    /// The text in the first column of the first row of `sql` (for example `PRAGMA journal_mode=WAL`), nil when
    /// there is no row or it is NULL.
    public func text(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// The text of the first column of every row of `sql` (`PRAGMA integrity_check`).
    public func textRows(_ sql: String) throws(SQLiteError) -> [String] {
        let statement = try prepare(sql)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0) ?? "") }
        return rows
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE; an `INSERT OR IGNORE` that met a duplicate changed 0.
    @inlinable
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// True while a transaction is open (a failed COMMIT can leave one open).
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The error for `result` from the call described by `operation`, with the connection's message.
    @usableFromInline
    func error(_ result: Int32, operation: String) -> SQLiteError {
        let message = String(cString: sqlite3_errmsg(handle))
        // Long SQL (a schema) says little more than its start.
        let shortened = operation.count > 60 ? operation.prefix(60) + "…" : Substring(operation)
        return SQLiteError(extendedCode: result, operation: String(shortened), message: message)
    }
}
