import SQLite
import Wire

/// The junction's local store: the high-resolution event log and the count bins in SQLite, with
/// the acknowledgement marks of store-and-forward and the boot counter.
///
/// Durability: WAL mode with `synchronous=FULL`, so a transaction that `commit` returned from is
/// on disk (the WAL is fsynced at every commit) and survives kill -9 and power loss, and a crash at
/// any moment leaves the last committed state, never a corrupt file. `NORMAL` would save the fsync
/// but let a power cut undo commits already reported upstream as stored; batching (one commit every
/// few seconds) keeps the FULL cost to a few fsyncs a minute, which also spares SD cards.
///
/// Record numbers come from `AUTOINCREMENT`, so they only grow and are never reused, even after
/// retention removed the newest rows. One instance belongs to one thread; a second instance on
/// the same file (another thread's reader) works alongside it.
public final class JunctionStore {
    /// The schema version in `PRAGMA user_version`.
    public static let schemaVersion: Int64 = 1
    /// Rows removed per retention transaction, so that one pass never holds the write lock long.
    static let retentionChunk: Int64 = 5000

    public let path: String
    public var retention: StoreRetention
    private let connection: SQLiteDatabase
    private let insertEvent: SQLiteStatement
    private let insertBin: SQLiteStatement
    private let ackEvents: SQLiteStatement
    private let ackCounts: SQLiteStatement
    private let selectEvents: SQLiteStatement
    private let selectBinsAfter: SQLiteStatement
    private let selectBinsSince: SQLiteStatement

    /// Opens or creates the store at `path` and sets WAL mode and FULL synchronous writes.
    public init(path: String, retention: StoreRetention = StoreRetention()) throws(StoreError) {
        self.path = path
        self.retention = retention
        do {
            connection = try SQLiteDatabase(path: path, busyTimeoutMilliseconds: 2000)
            try connection.execute(
                """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA journal_size_limit = 8388608;
                PRAGMA foreign_keys = OFF;
                """)
            try Self.createSchema(connection)
            insertEvent = try connection.prepare(
                "INSERT INTO events(boot_id, journal_seq, time_ms, code, parameter) VALUES (?1, ?2, ?3, ?4, ?5)")
            insertBin = try connection.prepare(
                """
                INSERT INTO counts(bin_start, period_s, detector, volume, occupancy_permille, observed_s)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                """)
            ackEvents = try connection.prepare(Self.raiseMark("events_acked", stream: "events"))
            ackCounts = try connection.prepare(Self.raiseMark("counts_acked", stream: "counts"))
            selectEvents = try connection.prepare(
                """
                SELECT record, time_ms, code, parameter FROM events
                WHERE record > ?1 ORDER BY record LIMIT ?2
                """)
            selectBinsAfter = try connection.prepare(
                """
                SELECT record, bin_start, period_s, detector, volume, occupancy_permille, observed_s FROM counts
                WHERE record > ?1 ORDER BY record LIMIT ?2
                """)
            selectBinsSince = try connection.prepare(
                """
                SELECT record, bin_start, period_s, detector, volume, occupancy_permille, observed_s FROM counts
                WHERE bin_start >= ?1 ORDER BY record LIMIT ?2
                """)
        } catch {
            throw StoreError(error)
        }
    }

    private static func createSchema(_ connection: SQLiteDatabase) throws(SQLiteError) {
        try connection.execute(
            """
            BEGIN IMMEDIATE;
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS events(
                record INTEGER PRIMARY KEY AUTOINCREMENT,
                boot_id INTEGER NOT NULL, journal_seq INTEGER NOT NULL, time_ms INTEGER NOT NULL,
                code INTEGER NOT NULL, parameter INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS counts(
                record INTEGER PRIMARY KEY AUTOINCREMENT,
                bin_start INTEGER NOT NULL, period_s INTEGER NOT NULL, detector INTEGER NOT NULL,
                volume INTEGER NOT NULL, occupancy_permille INTEGER NOT NULL, observed_s INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS counts_by_start ON counts(bin_start);
            PRAGMA user_version = \(schemaVersion);
            COMMIT;
            """)
    }

    /// SQL that raises an acknowledgement mark, never lowering it and never past the stream's last record.
    private static func raiseMark(_ key: String, stream: String) -> String {
        """
        INSERT INTO meta(key, value)
        VALUES ('\(key)', min(?1, (SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = '\(stream)')))
        ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)
        """
    }

    // MARK: - Boot

    /// Starts a new daemon run and returns its boot id: larger than every earlier run's, and
    /// `nowMicroseconds` (Unix µs) when the clock is sane, so that it also grows across a wiped store.
    public func startBoot(nowMicroseconds: UInt64) throws(StoreError) -> UInt64 {
        try transaction { () throws(SQLiteError) -> UInt64 in
            let previous = try Self.number(
                try connection.integer("SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'boot_id'"), "boot_id")
            let boot = ReplayWindow.nextBootId(after: previous, nowMicroseconds: nowMicroseconds)
            try connection.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('boot_id', \(Int64(clamping: boot)))")
            return boot
        }
    }

    // MARK: - Writing

    /// Commits `events` and `bins` (their record numbers are assigned here) and raises the
    /// acknowledgement marks, in one transaction. Returns the marks after it. On any error nothing
    /// of it was written, and the caller may retry with the same records.
    @discardableResult
    public func commit(
        events: [JournalledEvent], bins: [CountBin], acknowledgedEvents: UInt64 = 0, acknowledgedCounts: UInt64 = 0
    ) throws(StoreError) -> StoreMarks {
        try transaction { () throws(SQLiteError) -> StoreMarks in
            for event in events {
                try insertEvent.run(
                    Int64(bitPattern: event.bootId), Int64(bitPattern: event.journalSequence),
                    Int64(bitPattern: event.record.timeMilliseconds), Int64(event.record.code),
                    Int64(event.record.parameter))
            }
            for bin in bins {
                try insertBin.run(
                    Int64(bitPattern: bin.binStartSeconds), Int64(bin.periodSeconds), Int64(bin.detector),
                    Int64(bin.volume), Int64(bin.occupancyPermille), Int64(bin.observedSeconds))
            }
            if acknowledgedEvents > 0 { try ackEvents.run(Int64(clamping: acknowledgedEvents)) }
            if acknowledgedCounts > 0 { try ackCounts.run(Int64(clamping: acknowledgedCounts)) }
            return try readMarks()
        }
    }

    /// A record number, mark or boot id read back. The store writes them from 0 up; a negative one,
    /// or one so large that the next would not fit SQLite's integer, is a damaged or hand-edited
    /// database: reported as SQLITE_CORRUPT (the daemon then reports without its store) rather than
    /// trapping on the conversion at every start.
    private static func number(_ value: Int64, _ name: String) throws(SQLiteError) -> UInt64 {
        guard value >= 0, value < Int64.max else {
            throw SQLiteError(
                extendedCode: 11, operation: "read \(name)",
                message: "\(name) is \(value), which the store never writes: the database is damaged")
        }
        return UInt64(value)
    }

    /// Runs `body` in one write transaction; on any error nothing of it stays.
    private func transaction<Result>(_ body: () throws(SQLiteError) -> Result) throws(StoreError) -> Result {
        do { return try connection.transaction(body) } catch { throw StoreError(error) }
    }

    /// Runs reads outside a transaction, with SQLite's errors in the store's terms.
    private func reading<Result>(_ body: () throws(SQLiteError) -> Result) throws(StoreError) -> Result {
        do { return try body() } catch { throw StoreError(error) }
    }

    // MARK: - Reading

    /// Where both streams stand.
    public func marks() throws(StoreError) -> StoreMarks {
        try reading(readMarks)
    }

    private func readMarks() throws(SQLiteError) -> StoreMarks {
        var marks = StoreMarks()
        (marks.eventsFirst, marks.eventsLast, marks.eventsAcked) = try streamMarks("events")
        (marks.countsFirst, marks.countsLast, marks.countsAcked) = try streamMarks("counts")
        return marks
    }

    /// The first record kept, the last ever numbered and the last acknowledged of stream `table`.
    private func streamMarks(_ table: String) throws(SQLiteError) -> (UInt64, UInt64, UInt64) {
        let first = try connection.integer("SELECT COALESCE(MIN(record), 0) FROM \(table)")
        let last = try connection.integer("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = '\(table)'")
        let acked = try connection.integer("SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = '\(table)_acked'")
        return (
            try Self.number(first, "\(table) first"), try Self.number(last, "\(table) last"),
            try Self.number(acked, "\(table) acknowledged")
        )
    }

    /// Up to `limit` events with record numbers above `record`, oldest first.
    public func events(after record: UInt64, limit: Int) throws(StoreError) -> [EventRecord] {
        try reading { () throws(SQLiteError) -> [EventRecord] in
            try selectEvents.bind(Int64(clamping: record), Int64(limit))
            var events: [EventRecord] = []
            while try selectEvents.step() {
                events.append(
                    EventRecord(
                        recordNumber: try Self.number(selectEvents.int64(0), "events.record"),
                        timeMilliseconds: UInt64(bitPattern: selectEvents.int64(1)),
                        code: UInt16(truncatingIfNeeded: selectEvents.int64(2)),
                        parameter: UInt16(truncatingIfNeeded: selectEvents.int64(3))))
            }
            return events
        }
    }

    /// Up to `limit` count bins with record numbers above `record`, oldest first.
    public func countBins(after record: UInt64, limit: Int) throws(StoreError) -> [CountBin] {
        try reading { () throws(SQLiteError) -> [CountBin] in
            try selectBinsAfter.bind(Int64(clamping: record), Int64(limit))
            return try readBins(selectBinsAfter)
        }
    }

    /// Up to `limit` count bins starting at or after `seconds` (Unix), in record order.
    public func countBins(startingAtOrAfter seconds: UInt64, limit: Int) throws(StoreError) -> [CountBin] {
        try reading { () throws(SQLiteError) -> [CountBin] in
            try selectBinsSince.bind(Int64(clamping: seconds), Int64(limit))
            return try readBins(selectBinsSince)
        }
    }

    private func readBins(_ statement: SQLiteStatement) throws(SQLiteError) -> [CountBin] {
        var bins: [CountBin] = []
        while try statement.step() {
            bins.append(
                CountBin(
                    recordNumber: try Self.number(statement.int64(0), "counts.record"), binStartSeconds: UInt64(bitPattern: statement.int64(1)),
                    periodSeconds: UInt32(truncatingIfNeeded: statement.int64(2)),
                    detector: UInt16(truncatingIfNeeded: statement.int64(3)),
                    volume: UInt32(truncatingIfNeeded: statement.int64(4)),
                    occupancyPermille: UInt16(truncatingIfNeeded: statement.int64(5)),
                    observedSeconds: UInt32(truncatingIfNeeded: statement.int64(6))))
        }
        return bins
    }

    // MARK: - Upkeep

    /// Bytes of the pages in use (the file may be larger: freed pages are reused, not returned).
    public func liveBytes() throws(StoreError) -> Int64 {
        try reading { () throws(SQLiteError) -> Int64 in
            let pages = try connection.integer("PRAGMA page_count")
            let free = try connection.integer("PRAGMA freelist_count")
            return (pages - free) * (try connection.integer("PRAGMA page_size"))
        }
    }

    /// Removes records older than the age limit, then the oldest events (and, if none are left,
    /// count bins) while the database is above its size limit. Each chunk is its own transaction.
    public func enforceRetention(nowSeconds: UInt64) throws(StoreError) -> RetentionOutcome {
        var outcome = RetentionOutcome()
        let cutoffSeconds = Int64(nowSeconds) - Int64(retention.maximumAgeDays) * 86_400
        while true {
            let removed = try removeOldest(
                "events", ackKey: "events_acked", condition: "time_ms < \(cutoffSeconds * 1000)", into: &outcome)
            if removed == 0 { break }
        }
        while true {
            let removed = try removeOldest(
                "counts", ackKey: "counts_acked", condition: "bin_start < \(cutoffSeconds)", into: &outcome)
            if removed == 0 { break }
        }
        while try liveBytes() > retention.maximumBytes {
            if try removeOldest("events", ackKey: "events_acked", condition: "1", into: &outcome) == 0,
                try removeOldest("counts", ackKey: "counts_acked", condition: "1", into: &outcome) == 0
            {
                break
            }
        }
        return outcome
    }

    /// Removes up to one chunk of the oldest rows of `table` that meet `condition`; returns how many.
    private func removeOldest(
        _ table: String, ackKey: String, condition: String, into outcome: inout RetentionOutcome
    ) throws(StoreError) -> Int {
        let range = """
            record <= (SELECT COALESCE(MIN(record), 0) FROM \(table)) + \(Self.retentionChunk - 1) AND \(condition)
            """
        return try transaction { () throws(SQLiteError) -> Int in
            let acked = try connection.integer("SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = '\(ackKey)'")
            let unacked = try connection.integer("SELECT COUNT(*) FROM \(table) WHERE \(range) AND record > \(acked)")
            try connection.execute("DELETE FROM \(table) WHERE \(range)")
            let removed = connection.changes
            outcome.unacknowledgedRemoved += Int(unacked)
            if table == "events" { outcome.eventsRemoved += removed } else { outcome.countBinsRemoved += removed }
            return removed
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound database, else SQLite's findings.
    public func integrityCheck() throws(StoreError) -> [String] {
        try reading { () throws(SQLiteError) -> [String] in try connection.textRows("PRAGMA integrity_check") }
    }

    /// Caps the database at `pages` pages (`PRAGMA max_page_count`): tests use it to meet
    /// SQLITE_FULL without filling a disk.
    public func limitPages(_ pages: Int) throws(StoreError) {
        _ = try reading { () throws(SQLiteError) -> Int64 in try connection.integer("PRAGMA max_page_count = \(pages)") }
    }
}
