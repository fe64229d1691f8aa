import CSQLite

/// The one place this module calls SQLite's C API: a connection, its prepared statements and
/// their results, with every non-OK result code turned into a `StoreError`.
///
/// Not thread-safe: one connection belongs to one thread (the store writer, or the upstream
/// thread's reader). SQLite's WAL mode lets the two run at once.
final class SQLiteConnection {
    private var handle: OpaquePointer?

    /// Opens (creating if needed) the database at `path`.
    init(path: String, busyTimeoutMilliseconds: Int32 = 2000) throws(StoreError) {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK else {
            let error = Self.error(result, call: "open(\(path))", handle: handle)
            sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows (pragmas, schema, BEGIN/COMMIT).
    func execute(_ sql: String) throws(StoreError) {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw Self.error(result, call: sql, handle: handle) }
    }

    /// Prepares a statement to be run many times.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw Self.error(result, call: sql, handle: handle) }
        return Statement(statement, connection: self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// True while a transaction is open (a failed COMMIT may leave one open).
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The single integer a one-row, one-column query returns (a pragma, a count).
    func integer(_ sql: String) throws(StoreError) -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return statement.integer(0)
    }

    /// The text lines a query returns in its first column (`PRAGMA integrity_check`).
    func textRows(_ sql: String) throws(StoreError) -> [String] {
        let statement = try prepare(sql)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0)) }
        return rows
    }

    fileprivate func error(_ result: Int32, call: String) -> StoreError {
        Self.error(result, call: call, handle: handle)
    }

    private static func error(_ result: Int32, call: String, handle: OpaquePointer?) -> StoreError {
        if result & 0xFF == SQLITE_FULL { return .full }
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(result))
        return .failed(code: result, call: call, message: message)
    }

    /// A prepared statement; reset and re-bound for every use.
    final class Statement {
        private let statement: OpaquePointer
        private let connection: SQLiteConnection

        fileprivate init(_ statement: OpaquePointer, connection: SQLiteConnection) {
            self.statement = statement
            self.connection = connection
        }

        deinit {
            sqlite3_finalize(statement)
        }

        /// Resets the statement and binds `values` to its parameters, in order.
        func bind(_ values: Int64...) throws(StoreError) {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (index, value) in values.enumerated() {
                let result = sqlite3_bind_int64(statement, Int32(index + 1), value)
                guard result == SQLITE_OK else { throw connection.error(result, call: "bind") }
            }
        }

        /// Runs one step: true when a row is ready, false when done.
        @discardableResult
        func step() throws(StoreError) -> Bool {
            let result = sqlite3_step(statement)
            switch result {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default:
                let error = connection.error(result, call: String(cString: sqlite3_sql(statement)))
                sqlite3_reset(statement)
                throw error
            }
        }

        /// Runs the statement to completion (an INSERT, UPDATE or DELETE).
        func run() throws(StoreError) {
            while try step() {}
        }

        func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

        func text(_ column: Int32) -> String {
            sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
        }
    }
}
