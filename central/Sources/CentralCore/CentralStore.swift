import SQLite
import Wire

/// central's SQLite store: status report history, the event log, detector count bins and per-junction cursors.
///
/// One writer (the ingest thread) commits batches; readers open their own `StoreReader` connections, which WAL lets
/// run beside the writer. Events and bins are keyed by (junction, record number), so a record the junction resends
/// after an outage is recognised and kept once. Each commit is one transaction, and central acknowledges records
/// only after the commit that holds them: with WAL and `synchronous=FULL` a committed record survives `kill -9`
/// and power loss, and the file is never left corrupt. Each junction's replay window is kept beside its cursor,
/// written by the same commits (`StoreBatch.windows`), so a datagram accepted before a restart is refused after it
/// as long as a commit saved the window after that datagram.
///
/// Record numbers in the store are central's: a junction's own number plus the base of the store it came from
/// (`StreamCursor`), so the records of a replaced junction store are kept beside the old store's, never in place of
/// them.
public final class CentralStore {
    private let database: SQLiteDatabase
    private let insertReport: SQLiteStatement
    private let insertEvent: SQLiteStatement
    private let insertCount: SQLiteStatement
    private let upsertCursor: SQLiteStatement
    private let upsertWindow: SQLiteStatement
    private let selectCursors: SQLiteStatement
    private let selectWindows: SQLiteStatement
    private let selectHighestEvent: SQLiteStatement
    private let selectHighestCount: SQLiteStatement

    /// Opens or creates the store at `path` (`:memory:` for a private in-memory store).
    ///
    /// `synchronousFull` false trades the durability of the last commits before a power loss for fewer fsyncs
    /// (the benchmark measures both); records are never acknowledged before their commit either way.
    /// `maximumPages` caps the file (pages of 4 KiB): a commit beyond it fails as a full disk would.
    public init(path: String, synchronousFull: Bool = true, maximumPages: Int? = nil) throws(SQLiteError) {
        database = try SQLiteDatabase(path: path)
        _ = try database.text("PRAGMA journal_mode=WAL")
        if let maximumPages { _ = try database.text("PRAGMA max_page_count=\(maximumPages)") }
        try database.execute(
            """
            PRAGMA synchronous=\(synchronousFull ? "FULL" : "NORMAL");
            CREATE TABLE IF NOT EXISTS reports(
                junction_id INTEGER NOT NULL, boot_id INTEGER NOT NULL, sequence INTEGER NOT NULL,
                received_ms INTEGER NOT NULL, mode INTEGER NOT NULL, stage INTEGER, alarms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS reports_by_time ON reports(received_ms);
            CREATE TABLE IF NOT EXISTS events(
                junction_id INTEGER NOT NULL, record INTEGER NOT NULL, time_ms INTEGER NOT NULL,
                code INTEGER NOT NULL, parameter INTEGER NOT NULL,
                PRIMARY KEY(junction_id, record)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS events_by_time ON events(time_ms);
            CREATE INDEX IF NOT EXISTS events_by_junction_time ON events(junction_id, time_ms);
            CREATE TABLE IF NOT EXISTS counts(
                junction_id INTEGER NOT NULL, record INTEGER NOT NULL, detector INTEGER NOT NULL,
                start_s INTEGER NOT NULL, period_s INTEGER NOT NULL, volume INTEGER NOT NULL,
                occupancy_permille INTEGER NOT NULL, observed_s INTEGER NOT NULL,
                PRIMARY KEY(junction_id, record)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS counts_by_start ON counts(junction_id, start_s);
            CREATE TABLE IF NOT EXISTS cursors(
                junction_id INTEGER PRIMARY KEY, events_through INTEGER NOT NULL, counts_through INTEGER NOT NULL,
                boot_id INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS central(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """)
        // A store from before central kept replay windows has a cursors table without their columns: add them,
        // empty, so it opens and its junctions are guarded by their boot id alone until the first commit. A store
        // from before central numbered replaced junction stores has no bases: 0, as every record was stored under
        // the junction's own number.
        let columns = try database.textRows("SELECT name FROM pragma_table_info('cursors')")
        for column in Self.windowColumns + Self.streamColumns where !columns.contains(column) {
            try database.execute("ALTER TABLE cursors ADD COLUMN \(column) INTEGER NOT NULL DEFAULT 0")
        }
        insertReport = try database.prepare(
            "INSERT INTO reports(junction_id, boot_id, sequence, received_ms, mode, stage, alarms) VALUES(?,?,?,?,?,?,?)")
        insertEvent = try database.prepare(
            "INSERT OR IGNORE INTO events(junction_id, record, time_ms, code, parameter) VALUES(?,?,?,?,?)")
        insertCount = try database.prepare(
            """
            INSERT OR IGNORE INTO counts(junction_id, record, detector, start_s, period_s, volume,
                occupancy_permille, observed_s) VALUES(?,?,?,?,?,?,?,?)
            """)
        upsertCursor = try database.prepare(
            """
            INSERT INTO cursors(junction_id, events_through, counts_through, boot_id, events_base, counts_base,
                events_holding_boot, counts_holding_boot) VALUES(?,?,?,?,?,?,?,?)
            ON CONFLICT(junction_id) DO UPDATE SET events_through = excluded.events_through,
                counts_through = excluded.counts_through, boot_id = excluded.boot_id,
                events_base = excluded.events_base, counts_base = excluded.counts_base,
                events_holding_boot = excluded.events_holding_boot, counts_holding_boot = excluded.counts_holding_boot
            """)
        // A junction's first window arrives with its first datagram, before any record moved its marks: the row
        // starts with empty marks, which the cursor's own upsert then sets.
        upsertWindow = try database.prepare(
            """
            INSERT INTO cursors(junction_id, events_through, counts_through, boot_id, window_boot_id, window_highest,
                window_seen) VALUES(?,0,0,0,?,?,?)
            ON CONFLICT(junction_id) DO UPDATE SET window_boot_id = excluded.window_boot_id,
                window_highest = excluded.window_highest, window_seen = excluded.window_seen
            """)
        selectCursors = try database.prepare(
            """
            SELECT junction_id, events_through, counts_through, boot_id, events_base, counts_base, events_holding_boot,
                counts_holding_boot FROM cursors
            """)
        selectWindows = try database.prepare(
            "SELECT junction_id, boot_id, window_boot_id, window_highest, window_seen FROM cursors")
        // The last row of the junction in the primary key: one lookup, however much history is held.
        selectHighestEvent = try database.prepare("SELECT COALESCE(MAX(record), 0) FROM events WHERE junction_id = ?")
        selectHighestCount = try database.prepare("SELECT COALESCE(MAX(record), 0) FROM counts WHERE junction_id = ?")
    }

    /// The columns of a replay window in `cursors`: its boot id, its highest sequence and its bits of seen sequences.
    private static let windowColumns = ["window_boot_id", "window_highest", "window_seen"]
    /// The columns of each stream's `StreamCursor` beyond its mark.
    private static let streamColumns = ["events_base", "counts_base", "events_holding_boot", "counts_holding_boot"]

    /// Writes the whole batch in one transaction: either all of it is stored or none of it.
    public func commit(_ batch: StoreBatch) throws(SQLiteError) -> StoreOutcome {
        var outcome = StoreOutcome()
        guard !batch.isEmpty else { return outcome }
        try database.transaction { () throws(SQLiteError) in
            for report in batch.reports {
                defer { insertReport.reset() }
                try insertReport.bind(Int64(report.junctionID), at: 1)
                try insertReport.bind(Int64(bitPattern: report.bootID), at: 2)
                try insertReport.bind(Int64(bitPattern: report.sequence), at: 3)
                try insertReport.bind(report.receivedMilliseconds, at: 4)
                try insertReport.bind(Int64(report.mode), at: 5)
                if let stage = report.stage { try insertReport.bind(Int64(stage), at: 6) } else {
                    try insertReport.bindNull(at: 6)
                }
                try insertReport.bind(Int64(report.alarms), at: 7)
                try insertReport.step()
            }
            outcome.reportsStored = batch.reports.count
            for (junctionID, event) in batch.events {
                try insertEvent.run(
                    Int64(junctionID), Int64(bitPattern: event.recordNumber), Int64(clamping: event.timeMilliseconds),
                    Int64(event.code), Int64(event.parameter))
                if database.changes == 1 { outcome.eventsStored += 1 } else { outcome.eventsDuplicate += 1 }
            }
            for (junctionID, bin) in batch.counts {
                try insertCount.run(
                    Int64(junctionID), Int64(bitPattern: bin.recordNumber), Int64(bin.detector),
                    Int64(clamping: bin.binStartSeconds), Int64(bin.periodSeconds), Int64(bin.volume),
                    Int64(bin.occupancyPermille), Int64(bin.observedSeconds))
                if database.changes == 1 { outcome.countsStored += 1 } else { outcome.countsDuplicate += 1 }
            }
            for (junctionID, cursor) in batch.cursors {
                try upsertCursor.run(
                    Int64(junctionID), Int64(bitPattern: cursor.events.through),
                    Int64(bitPattern: cursor.counts.through), Int64(bitPattern: cursor.bootID),
                    Int64(bitPattern: cursor.events.base), Int64(bitPattern: cursor.counts.base),
                    Int64(bitPattern: cursor.events.holdingBootID), Int64(bitPattern: cursor.counts.holdingBootID))
            }
            for (junctionID, window) in batch.windows {
                try upsertWindow.run(
                    Int64(junctionID), Int64(bitPattern: window.bootId), Int64(bitPattern: window.highest),
                    Int64(bitPattern: window.seenBits))
            }
        }
        return outcome
    }

    /// Every junction's committed cursor, where acknowledgements and polls resume after a restart.
    ///
    /// A mark of `UInt64.max` (-1 in the file), which a central before `RecordBatch.decode`'s bounds could save, reads
    /// as 0: no record can follow it, so the stream starts again, the junction resends what it holds, and records
    /// already stored count as duplicates.
    public func cursors() throws(SQLiteError) -> [UInt32: JunctionCursor] {
        defer { selectCursors.reset() }
        func value(_ column: Int32) -> UInt64 { UInt64(bitPattern: selectCursors.int64(column)) }
        func stream(mark: Int32, base: Int32, holding: Int32) -> StreamCursor {
            StreamCursor(
                through: value(mark) == UInt64.max ? 0 : value(mark), base: value(base), holdingBootID: value(holding))
        }
        var result: [UInt32: JunctionCursor] = [:]
        while try selectCursors.step() {
            result[UInt32(truncatingIfNeeded: selectCursors.int64(0))] = JunctionCursor(
                events: stream(mark: 1, base: 4, holding: 6), counts: stream(mark: 2, base: 5, holding: 7),
                bootID: value(3))
        }
        return result
    }

    /// The highest number (central's) of any record of `stream` stored for the junction, 0 for none: a new store of
    /// the junction is numbered above it.
    public func highestRecord(junctionID: UInt32, _ stream: RecordStream) throws(SQLiteError) -> UInt64 {
        let statement: SQLiteStatement
        switch stream {
        case .events: statement = selectHighestEvent
        case .counts: statement = selectHighestCount
        }
        defer { statement.reset() }
        try statement.bind(Int64(junctionID), at: 1)
        guard try statement.step() else { return 0 }
        return UInt64(bitPattern: statement.int64(0))
    }

    /// Every junction's replay window as the last commit saved it, where replay checks resume after a restart.
    ///
    /// A junction without a saved window (a store from before windows were kept), or whose window is older than its
    /// boot id, gets a window that refuses only boots below that id, as central did before it kept windows.
    public func replayWindows() throws(SQLiteError) -> [UInt32: ReplayWindow] {
        defer { selectWindows.reset() }
        var result: [UInt32: ReplayWindow] = [:]
        while try selectWindows.step() {
            let bootID = UInt64(bitPattern: selectWindows.int64(1))
            let window = ReplayWindow(
                bootId: UInt64(bitPattern: selectWindows.int64(2)), highest: UInt64(bitPattern: selectWindows.int64(3)),
                seenBits: UInt64(bitPattern: selectWindows.int64(4)))
            // A window that accepted anything has the bit of its highest sequence set. One at boot 2^64 − 1
            // (accepted before such a boot was refused as malformed: no run can follow it) would refuse the
            // junction for good: it is damaged, and the junction is heard from its next boot.
            let saved = window.seenBits != 0 && window.bootId >= bootID && window.bootId < .max
            result[UInt32(truncatingIfNeeded: selectWindows.int64(0))] =
                saved ? window : ReplayWindow(minimumBootId: bootID < .max ? bootID : 0)
        }
        return result
    }

    /// Takes a boot id for this run of central that is larger than any earlier run's: `max(previous + 1, candidate)`.
    public func nextBootID(candidate: UInt64) throws(SQLiteError) -> UInt64 {
        let previous = try database.text("SELECT value FROM central WHERE key = 'boot_id'").flatMap { UInt64($0) }
        let bootID = ReplayWindow.nextBootId(after: previous ?? 0, nowMicroseconds: candidate)
        try database.execute(
            "INSERT INTO central(key, value) VALUES('boot_id', \(Int64(bitPattern: bootID))) "
                + "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        return bootID
    }

    /// Deletes history older than the retention limits; returns the rows removed.
    @discardableResult
    public func prune(nowMilliseconds: Int64, reportRetentionHours: Int, recordRetentionDays: Int) throws(SQLiteError)
        -> Int
    {
        let reportCutoff = nowMilliseconds - Int64(reportRetentionHours) * 3_600_000
        let recordCutoff = nowMilliseconds - Int64(recordRetentionDays) * 86_400_000
        return try database.transaction { () throws(SQLiteError) -> Int in
            try database.execute("DELETE FROM reports WHERE received_ms < \(reportCutoff)")
            var removed = database.changes
            try database.execute("DELETE FROM events WHERE time_ms < \(recordCutoff)")
            removed += database.changes
            try database.execute("DELETE FROM counts WHERE start_s < \(recordCutoff / 1000)")
            removed += database.changes
            return removed
        }
    }

    /// SQLite's own check of the file; "ok" when the database is intact.
    public func integrityCheck() throws(SQLiteError) -> String {
        try database.text("PRAGMA integrity_check") ?? "no answer"
    }
}
