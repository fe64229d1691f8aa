import SQLite
import Synchronization
import Wire

/// Read-only queries for the dashboard, on a connection of their own beside the writer.
///
/// Thread-safe: callers from any task share one connection behind a lock (the queries are short).
public final class StoreReader: Sendable {
    private let connection: Mutex<Connection>

    private final class Connection: @unchecked Sendable {
        let database: SQLiteDatabase
        let events: SQLiteStatement
        let eventsWithoutActuations: SQLiteStatement
        let totals: SQLiteStatement
        let volumesBetween: SQLiteStatement
        let eventsBetween: SQLiteStatement

        init(path: String) throws(SQLiteError) {
            database = try SQLiteDatabase(path: path, readOnly: true)
            events = try database.prepare(
                """
                SELECT record, time_ms, code, parameter FROM events
                WHERE junction_id = ? ORDER BY record DESC LIMIT ?
                """)
            // Detector on/off (81, 82) are most of the log: several a second at a busy junction.
            eventsWithoutActuations = try database.prepare(
                """
                SELECT record, time_ms, code, parameter FROM events
                WHERE junction_id = ? AND code NOT IN (81, 82) ORDER BY record DESC LIMIT ?
                """)
            volumesBetween = try database.prepare(
                """
                SELECT detector, start_s, MAX(period_s), SUM(volume),
                    COALESCE(SUM(occupancy_permille * observed_s) / NULLIF(SUM(observed_s), 0), 0), SUM(observed_s),
                    MAX(record)
                FROM counts WHERE junction_id = ? AND start_s >= ? AND start_s < ?
                GROUP BY start_s, detector ORDER BY start_s, detector
                """)
            eventsBetween = try database.prepare(
                """
                SELECT record, time_ms, code, parameter FROM events
                WHERE junction_id = ? AND time_ms >= ? AND time_ms < ? ORDER BY time_ms, record
                """)
            totals = try database.prepare(
                """
                SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM counts)
                """)
        }
    }

    /// Opens the store file that a `CentralStore` created.
    public init(path: String) throws(SQLiteError) {
        connection = Mutex(try Connection(path: path))
    }

    /// Count bins of one junction starting in `fromSeconds..<toSeconds` (Unix time), oldest first.
    ///
    /// Bins of the same detector and start (a daemon restart within the period) are merged: volumes and observed
    /// seconds add up, occupancy is weighted by observed time, and the record number is the newest part's.
    public func counts(junctionID: UInt32, fromSeconds: Int64, toSeconds: Int64) throws(SQLiteError) -> [CountBin] {
        try rows(\.volumesBetween, junctionID: junctionID, [fromSeconds, toSeconds], read: Self.countBin)
    }

    /// Every event of one junction stamped in `fromMilliseconds..<toMilliseconds` (Unix time), oldest first, detector
    /// on/off included: the high-resolution log that the performance measures and the CSV export read.
    public func events(junctionID: UInt32, fromMilliseconds: Int64, toMilliseconds: Int64) throws(SQLiteError)
        -> [EventRecord]
    {
        try rows(\.eventsBetween, junctionID: junctionID, [fromMilliseconds, toMilliseconds], read: Self.eventRecord)
    }

    private static func countBin(_ statement: SQLiteStatement) -> CountBin {
        CountBin(
            recordNumber: UInt64(bitPattern: statement.int64(6)),
            binStartSeconds: UInt64(clamping: statement.int64(1)),
            periodSeconds: UInt32(clamping: statement.int64(2)),
            detector: UInt16(clamping: statement.int64(0)), volume: UInt32(clamping: statement.int64(3)),
            occupancyPermille: UInt16(clamping: statement.int64(4)),
            observedSeconds: UInt32(clamping: statement.int64(5)))
    }

    /// The newest `limit` events of one junction, newest first; `actuations` false leaves out detector on/off.
    public func recentEvents(junctionID: UInt32, limit: Int, actuations: Bool = true) throws(SQLiteError)
        -> [EventRecord]
    {
        try rows(
            actuations ? \.events : \.eventsWithoutActuations, junctionID: junctionID, [Int64(limit)],
            read: Self.eventRecord)
    }

    private static func eventRecord(_ statement: SQLiteStatement) -> EventRecord {
        EventRecord(
            recordNumber: UInt64(bitPattern: statement.int64(0)),
            timeMilliseconds: UInt64(clamping: statement.int64(1)),
            code: UInt16(truncatingIfNeeded: statement.int64(2)),
            parameter: UInt16(truncatingIfNeeded: statement.int64(3)))
    }

    /// The rows of the statement at `query` for `junctionID` (parameter 1) and `more` (parameters 2…),
    /// each read by `read`, in the statement's order.
    private func rows<Record: Sendable>(
        _ query: KeyPath<Connection, SQLiteStatement>, junctionID: UInt32, _ more: [Int64],
        read: (SQLiteStatement) -> Record
    ) throws(SQLiteError) -> [Record] {
        try connection.withLock { (connection) throws(SQLiteError) -> [Record] in
            let statement = connection[keyPath: query]
            defer { statement.reset() }
            try statement.bind(Int64(junctionID), at: 1)
            for (offset, value) in more.enumerated() { try statement.bind(value, at: Int32(offset + 2)) }
            var records: [Record] = []
            while try statement.step() { records.append(read(statement)) }
            return records
        }
    }

    /// Rows held: status reports, events and count bins.
    public func totals() throws(SQLiteError) -> (reports: Int, events: Int, counts: Int) {
        try connection.withLock { (connection) throws(SQLiteError) -> (reports: Int, events: Int, counts: Int) in
            let statement = connection.totals
            defer { statement.reset() }
            guard try statement.step() else { return (0, 0, 0) }
            return (Int(statement.int64(0)), Int(statement.int64(1)), Int(statement.int64(2)))
        }
    }
}
