import Foundation
import SQLite
import Store
import Wire

/// A store in a fresh temporary directory, removed when the fixture goes.
final class StoreFixture {
    let directory: URL
    let path: String

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("junctiond.db").path
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func open(retention: StoreRetention = StoreRetention()) throws -> JunctionStore {
        try JunctionStore(path: path, retention: retention)
    }

    static func events(count: Int, boot: UInt64 = 1, firstSequence: UInt64 = 1, timeMilliseconds: UInt64 = 1_700_000_000_000)
        -> [JournalledEvent]
    {
        (0..<count).map { index in
            JournalledEvent(
                record: EventRecord(
                    timeMilliseconds: timeMilliseconds + UInt64(index) * 100, code: 82, parameter: UInt16(index % 16 + 1)),
                bootId: boot, journalSequence: firstSequence + UInt64(index))
        }
    }

    /// Runs `sql` on the file from a connection of its own, as a hand edit or damage would.
    func execute(_ sql: String) throws {
        try SQLiteDatabase(path: path).execute(sql)
    }

    /// The journal sequence numbers the store kept beside its events, in record order: the store's API does not
    /// read them back (they are for tracing a record to the journal), so the test reads the file.
    func journalSequences() throws -> [UInt64] {
        let statement = try SQLiteDatabase(path: path, readOnly: true).prepare(
            "SELECT journal_seq FROM events ORDER BY record")
        var sequences: [UInt64] = []
        while try statement.step() { sequences.append(UInt64(statement.int64(0))) }
        return sequences
    }

    static func bins(startSeconds: UInt64, periodSeconds: UInt32 = 900, detectors: Int = 16, volume: UInt32 = 10)
        -> [CountBin]
    {
        (1...detectors).map { detector in
            CountBin(
                binStartSeconds: startSeconds, periodSeconds: periodSeconds, detector: UInt16(detector),
                volume: volume + UInt32(detector), occupancyPermille: UInt16(detector * 10), observedSeconds: periodSeconds)
        }
    }
}
