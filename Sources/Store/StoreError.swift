import SQLite

/// Why the store refused an operation, from SQLite's result code.
///
/// A full disk is its own case because the daemon treats it differently (keeps records in memory,
/// raises the `storeFull` alarm) from every other failure.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLITE_FULL: the disk (or the database's page limit) is full. Nothing of the failed
    /// transaction was written.
    case full
    /// Any other failure: SQLite's extended result code, the call, and SQLite's message.
    case failed(code: Int32, call: String, message: String)

    public var description: String {
        switch self {
        case .full: return "the store's disk is full (SQLITE_FULL)"
        case .failed(let code, let call, let message): return "\(call): SQLite error \(code): \(message)"
        }
    }

    /// The store's view of an SQLite failure: a full disk or page limit is `.full`, anything else `.failed`.
    init(_ error: SQLiteError) {
        self = error.isDiskFull ? .full : .failed(code: error.extendedCode, call: error.operation, message: error.message)
    }
}
