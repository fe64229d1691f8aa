import CentralCore
import Foundation
import SQLite
import Testing
import Wire

@Suite struct CentralStoreTests {
    private func temporaryPath() -> String { NSTemporaryDirectory() + "store-test-\(UUID().uuidString).sqlite" }

    private func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func event(_ number: UInt64, junction: UInt32 = 1) -> (junctionID: UInt32, record: EventRecord) {
        (junction, EventRecord(recordNumber: number, timeMilliseconds: 1_000 * number, code: 1, parameter: 3))
    }

    @Test func aRecordCommittedTwiceIsStoredOnceAndCountedAsDuplicate() throws {
        let path = temporaryPath()
        defer { remove(path) }
        let store = try CentralStore(path: path)
        var batch = StoreBatch()
        batch.events = (1...10).map { event($0) }
        let first = try store.commit(batch)
        batch.events = (6...15).map { event($0) }
        let second = try store.commit(batch)
        #expect(first.eventsStored == 10 && first.eventsDuplicate == 0)
        #expect(second.eventsStored == 5 && second.eventsDuplicate == 5)
        let reader = try StoreReader(path: path)
        #expect(try reader.totals().events == 15)
        let newest = try reader.recentEvents(junctionID: 1, limit: 3).map(\.recordNumber)
        #expect(newest == [15, 14, 13])
    }

    @Test func aTimeRangeReturnsOnlyThatJunctionsEventsInsideItOldestFirst() throws {
        let path = temporaryPath()
        defer { remove(path) }
        let store = try CentralStore(path: path)
        var batch = StoreBatch()
        batch.events = (1...10).reversed().map { event($0) } + [event(5, junction: 2)]
        _ = try store.commit(batch)
        let reader = try StoreReader(path: path)
        let inside = try reader.events(junctionID: 1, fromMilliseconds: 3_000, toMilliseconds: 7_000)
        #expect(inside.map(\.recordNumber) == [3, 4, 5, 6])
    }

    @Test func theSameRecordNumberOfAnotherJunctionIsAnotherRecord() throws {
        let path = temporaryPath()
        defer { remove(path) }
        let store = try CentralStore(path: path)
        var batch = StoreBatch()
        batch.events = [event(1, junction: 1), event(1, junction: 2)]
        let outcome = try store.commit(batch)
        #expect(outcome.eventsStored == 2)
    }

    @Test func cursorsAndBootIDsSurviveReopening() throws {
        let path = temporaryPath()
        defer { remove(path) }
        // The events on a replaced store (numbered after 40), the count bins on the junction's first.
        let cursor = JunctionCursor(
            events: StreamCursor(through: 1, base: 40, holdingBootID: 98),
            counts: StreamCursor(through: 4, holdingBootID: 97), bootID: 99)
        var firstBoot: UInt64 = 0
        do {
            let store = try CentralStore(path: path)
            firstBoot = try store.nextBootID(candidate: 500)
            var batch = StoreBatch()
            batch.events = [event(1)]
            batch.cursors[1] = cursor
            _ = try store.commit(batch)
        }
        let reopened = try CentralStore(path: path)
        #expect(try reopened.cursors()[1] == cursor)
        // A clock that went backwards still gives a larger boot id.
        #expect(try reopened.nextBootID(candidate: 10) == firstBoot + 1)
        #expect(try reopened.integrityCheck() == "ok")
    }

    @Test func replayWindowsSurviveReopening() throws {
        let path = temporaryPath()
        defer { remove(path) }
        var window = ReplayWindow()
        for sequence: UInt64 in [3, 5, 9] { window.accept(bootId: 42, sequence: sequence) }
        do {
            let store = try CentralStore(path: path)
            var batch = StoreBatch()
            batch.windows = [(1, window)]
            batch.cursors[2] = JunctionCursor(events: StreamCursor(through: 7), bootID: 11)
            _ = try store.commit(batch)
        }
        let reopened = try CentralStore(path: path)
        #expect(try reopened.replayWindows() == [1: window, 2: ReplayWindow(minimumBootId: 11)])
        // The window's row did not move the marks, nor the window the cursor's.
        #expect(try reopened.cursors()[1] == JunctionCursor())
        #expect(try reopened.cursors()[2] == JunctionCursor(events: StreamCursor(through: 7), bootID: 11))
    }

    /// A window at boot 2^64 − 1, saved before such a boot was refused as malformed, refused every later datagram of
    /// its junction, across restarts: it is read as damaged, and the junction is heard from its next boot.
    @Test func aWindowAtTheLastBootIsReadAsDamaged() throws {
        let path = temporaryPath()
        defer { remove(path) }
        var last = ReplayWindow()
        last.accept(bootId: .max, sequence: 1)
        let store = try CentralStore(path: path)
        var batch = StoreBatch()
        batch.windows = [(1, last), (2, last)]
        batch.cursors[1] = JunctionCursor(events: StreamCursor(through: 7), bootID: 11)
        batch.cursors[2] = JunctionCursor(events: StreamCursor(through: 7), bootID: .max)
        _ = try store.commit(batch)
        #expect(try store.replayWindows() == [1: ReplayWindow(minimumBootId: 11), 2: ReplayWindow()])
        #expect(try store.nextBootID(candidate: 5) > 0)
    }

    @Test func aStoreFromBeforeReplayWindowsOpensAndKeepsItsCursors() throws {
        let path = temporaryPath()
        defer { remove(path) }
        do {
            let old = try SQLiteDatabase(path: path)
            try old.execute(
                """
                CREATE TABLE cursors(
                    junction_id INTEGER PRIMARY KEY, events_through INTEGER NOT NULL, counts_through INTEGER NOT NULL,
                    boot_id INTEGER NOT NULL);
                INSERT INTO cursors VALUES(1, 30, 4, 2000);
                """)
        }
        let store = try CentralStore(path: path)
        let held = JunctionCursor(events: StreamCursor(through: 30), counts: StreamCursor(through: 4), bootID: 2000)
        #expect(try store.cursors()[1] == held)
        #expect(try store.replayWindows()[1] == ReplayWindow(minimumBootId: 2000))
        var window = ReplayWindow()
        window.accept(bootId: 2000, sequence: 12)
        var batch = StoreBatch()
        batch.windows = [(1, window)]
        _ = try store.commit(batch)
        #expect(try store.replayWindows()[1] == window)
        #expect(try store.cursors()[1] == held)
    }

    /// A store written before central numbered replaced junction stores: replay windows but no bases. It opens, its
    /// cursors read as the junctions' first stores (base 0, as every record was stored under the junction's own
    /// number), and a base committed later is kept.
    @Test func aStoreFromBeforeStoreBasesOpensWithItsCursorsOnTheFirstStore() throws {
        let path = temporaryPath()
        defer { remove(path) }
        var window = ReplayWindow()
        window.accept(bootId: 2000, sequence: 12)
        do {
            let old = try SQLiteDatabase(path: path)
            try old.execute(
                """
                CREATE TABLE events(
                    junction_id INTEGER NOT NULL, record INTEGER NOT NULL, time_ms INTEGER NOT NULL,
                    code INTEGER NOT NULL, parameter INTEGER NOT NULL,
                    PRIMARY KEY(junction_id, record)) WITHOUT ROWID;
                INSERT INTO events VALUES(1, 30, 30000, 1, 3);
                CREATE TABLE cursors(
                    junction_id INTEGER PRIMARY KEY, events_through INTEGER NOT NULL, counts_through INTEGER NOT NULL,
                    boot_id INTEGER NOT NULL, window_boot_id INTEGER NOT NULL DEFAULT 0,
                    window_highest INTEGER NOT NULL DEFAULT 0, window_seen INTEGER NOT NULL DEFAULT 0);
                INSERT INTO cursors VALUES(1, 30, 4, 2000, 2000, 12, \(window.seenBits));
                """)
        }
        let store = try CentralStore(path: path)
        #expect(
            try store.cursors()[1]
                == JunctionCursor(events: StreamCursor(through: 30), counts: StreamCursor(through: 4), bootID: 2000))
        #expect(try store.replayWindows()[1] == window)
        #expect(try store.highestRecord(junctionID: 1, .events) == 30)
        #expect(try store.highestRecord(junctionID: 1, .counts) == 0)
        let replaced = JunctionCursor(
            events: StreamCursor(through: 2, base: 30, holdingBootID: 3000), counts: StreamCursor(through: 4),
            bootID: 3000)
        var batch = StoreBatch()
        batch.events = [event(31), event(32)]
        batch.cursors[1] = replaced
        _ = try store.commit(batch)
        #expect(try CentralStore(path: path).cursors()[1] == replaced)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func countBinsOfOnePeriodFromTwoRunsAddUp() throws {
        let path = temporaryPath()
        defer { remove(path) }
        let store = try CentralStore(path: path)
        var batch = StoreBatch()
        batch.counts = [
            (1, CountBin(recordNumber: 1, binStartSeconds: 900, periodSeconds: 900, detector: 2, volume: 10,
                occupancyPermille: 100, observedSeconds: 300)),
            (1, CountBin(recordNumber: 2, binStartSeconds: 900, periodSeconds: 900, detector: 2, volume: 20,
                occupancyPermille: 400, observedSeconds: 600)),
        ]
        _ = try store.commit(batch)
        let bins = try StoreReader(path: path).counts(junctionID: 1, fromSeconds: 0, toSeconds: 1800)
        #expect(bins.count == 1)
        #expect(bins.first?.volume == 30)
        #expect(bins.first?.observedSeconds == 900)
        #expect(bins.first?.occupancyPermille == 300)  // (100·300 + 400·600) / 900
    }

    @Test func pruningRemovesOnlyWhatIsOlderThanTheLimits() throws {
        let path = temporaryPath()
        defer { remove(path) }
        let store = try CentralStore(path: path)
        let day: Int64 = 86_400_000
        var batch = StoreBatch()
        batch.events = [
            (1, EventRecord(recordNumber: 1, timeMilliseconds: UInt64(10 * day), code: 1, parameter: 1)),
            (1, EventRecord(recordNumber: 2, timeMilliseconds: UInt64(19 * day), code: 1, parameter: 1)),
        ]
        batch.reports = [
            StoredReport(junctionID: 1, bootID: 1, sequence: 1, receivedMilliseconds: 19 * day, mode: 1, stage: 0, alarms: 0),
            StoredReport(junctionID: 1, bootID: 1, sequence: 2, receivedMilliseconds: 20 * day - 1000, mode: 1, stage: nil, alarms: 0),
        ]
        _ = try store.commit(batch)
        let removed = try store.prune(nowMilliseconds: 20 * day, reportRetentionHours: 1, recordRetentionDays: 5)
        #expect(removed == 2)
        let totals = try StoreReader(path: path).totals()
        #expect(totals.events == 1 && totals.reports == 1)
    }

    @Test func aFullStoreFailsTheCommitAsDiskFullAndKeepsNothingOfIt() throws {
        let path = temporaryPath()
        defer { remove(path) }
        let store = try CentralStore(path: path, maximumPages: 12)
        var batch = StoreBatch()
        batch.events = (1...20_000).map { event($0) }
        #expect {
            _ = try store.commit(batch)
        } throws: { error in
            (error as? SQLiteError)?.isDiskFull == true
        }
        #expect(try StoreReader(path: path).totals().events == 0)
        #expect(try store.integrityCheck() == "ok")
    }
}
