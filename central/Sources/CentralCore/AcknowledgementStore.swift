import SQLite
import Synchronization

/// Alarm acknowledgements kept in central's SQLite file, so an acknowledgement outlives a restart of central.
///
/// A table of its own on a connection of its own: the dashboard writes an acknowledgement while the ingest thread
/// commits, and SQLite's busy timeout makes either wait for the other rather than fail. Thread-safe.
public final class AcknowledgementStore: Sendable {
    /// One stored acknowledgement and the alarm it belongs to, named by junction and kind (alarm numbers restart
    /// with central).
    public struct Entry: Sendable, Equatable {
        /// nil for central's own alarms.
        public var junctionID: UInt32?
        public var kind: CityAlarm.Kind
        public var acknowledgement: AlarmAcknowledgement

        public init(junctionID: UInt32?, kind: CityAlarm.Kind, acknowledgement: AlarmAcknowledgement) {
            self.junctionID = junctionID
            self.kind = kind
            self.acknowledgement = acknowledgement
        }
    }

    private let connection: Mutex<Connection>

    private final class Connection: @unchecked Sendable {
        let database: SQLiteDatabase
        let insert: SQLiteStatement
        let newest: SQLiteStatement

        init(path: String) throws(SQLiteError) {
            database = try SQLiteDatabase(path: path)
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS alarm_acks(
                    junction_id INTEGER, kind TEXT NOT NULL, by TEXT NOT NULL, note TEXT, at_ms INTEGER NOT NULL);
                """)
            insert = try database.prepare(
                "INSERT INTO alarm_acks(junction_id, kind, by, note, at_ms) VALUES(?,?,?,?,?)")
            // The newest per alarm key: SQLite takes the bare columns from the row that holds MAX(at_ms).
            newest = try database.prepare(
                "SELECT junction_id, kind, by, note, MAX(at_ms) FROM alarm_acks GROUP BY junction_id, kind")
        }
    }

    /// Opens central's store at `path` (the file `CentralStore` keeps) and adds the table when it is missing.
    public init(path: String) throws(SQLiteError) {
        connection = Mutex(try Connection(path: path))
    }

    /// Writes `entry`, committed when this returns.
    public func record(_ entry: Entry) throws(SQLiteError) {
        try connection.withLock { (connection) throws(SQLiteError) in
            let statement = connection.insert
            defer { statement.reset() }
            if let id = entry.junctionID { try statement.bind(Int64(id), at: 1) } else { try statement.bindNull(at: 1) }
            try statement.bind(entry.kind.rawValue, at: 2)
            try statement.bind(entry.acknowledgement.by, at: 3)
            if let note = entry.acknowledgement.note { try statement.bind(note, at: 4) } else {
                try statement.bindNull(at: 4)
            }
            try statement.bind(entry.acknowledgement.atMilliseconds, at: 5)
            _ = try statement.step()
        }
    }

    /// The newest acknowledgement of each junction and kind; rows of a kind this build does not know are left out.
    public func newest() throws(SQLiteError) -> [Entry] {
        try connection.withLock { (connection) throws(SQLiteError) -> [Entry] in
            let statement = connection.newest
            defer { statement.reset() }
            var entries: [Entry] = []
            while try statement.step() {
                guard let kind = statement.text(1).flatMap(CityAlarm.Kind.init(rawValue:)),
                    let acknowledgement = AlarmAcknowledgement(
                        by: statement.text(2) ?? "", note: statement.text(3), atMilliseconds: statement.int64(4))
                else { continue }
                let id = statement.text(0).flatMap { UInt32($0) }
                entries.append(Entry(junctionID: id, kind: kind, acknowledgement: acknowledgement))
            }
            return entries
        }
    }
}
