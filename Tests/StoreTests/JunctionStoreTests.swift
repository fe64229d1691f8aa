import Foundation
import Store
import Testing
import Wire

@Suite("Junction store")
struct JunctionStoreTests {
    @Test("committed events and bins read back in order with ascending record numbers")
    func commitAndReadBack() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let events = StoreFixture.events(count: 300)
        let bins = StoreFixture.bins(startSeconds: 1_700_000_100)
        let marks = try store.commit(events: events, bins: bins)
        #expect(marks.eventsFirst == 1 && marks.eventsLast == 300)
        #expect(marks.countsFirst == 1 && marks.countsLast == 16)
        let read = try store.events(after: 0, limit: 1000)
        #expect(read.map(\.recordNumber) == Array(1...300))
        #expect(try fixture.journalSequences() == events.map(\.journalSequence))
        #expect(read.map { $0.timeMilliseconds } == events.map(\.record.timeMilliseconds))
        #expect(read.map { $0.code } == events.map(\.record.code))
        #expect(read.map { $0.parameter } == events.map(\.record.parameter))
        #expect(try store.events(after: 250, limit: 10).map(\.recordNumber) == Array(251...260))
        let readBins = try store.countBins(after: 0, limit: 100)
        #expect(readBins.map(\.detector) == bins.map(\.detector))
        #expect(readBins.map(\.volume) == bins.map(\.volume))
        #expect(try store.countBins(startingAtOrAfter: 1_700_000_101, limit: 100).isEmpty)
        #expect(try store.countBins(startingAtOrAfter: 1_700_000_100, limit: 5).count == 5)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test("acknowledgement marks only rise and never pass the last record")
    func acknowledgementMarks() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        try store.commit(events: StoreFixture.events(count: 50), bins: StoreFixture.bins(startSeconds: 0))
        var marks = try store.commit(events: [], bins: [], acknowledgedEvents: 30, acknowledgedCounts: 4)
        #expect(marks.eventsAcked == 30 && marks.countsAcked == 4)
        marks = try store.commit(events: [], bins: [], acknowledgedEvents: 10, acknowledgedCounts: 2)
        #expect(marks.eventsAcked == 30 && marks.countsAcked == 4)
        marks = try store.commit(events: [], bins: [], acknowledgedEvents: 999, acknowledgedCounts: 999)
        #expect(marks.eventsAcked == 50 && marks.countsAcked == 16)
    }

    @Test("boot ids grow across runs even when the clock goes back")
    func bootIdsGrow() throws {
        let fixture = StoreFixture()
        let first = try fixture.open().startBoot(nowMicroseconds: 1_000_000)
        let second = try fixture.open().startBoot(nowMicroseconds: 5)
        let third = try fixture.open().startBoot(nowMicroseconds: 9_000_000)
        #expect(first == 1_000_000)
        #expect(second == 1_000_001)
        #expect(third == 9_000_000)
    }

    @Test("a damaged boot id or mark is an error, not a trap, and a number past every record finds nothing")
    func damagedNumbers() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        try store.commit(events: StoreFixture.events(count: 3), bins: StoreFixture.bins(startSeconds: 0))
        // A central's poll may ask for anything: above Int64.max is past every record, not before them.
        #expect(try store.events(after: UInt64.max, limit: 10).isEmpty)
        #expect(try store.countBins(after: UInt64(Int64.max) + 1, limit: 10).isEmpty)
        #expect(try store.countBins(startingAtOrAfter: UInt64.max, limit: 10).isEmpty)
        try fixture.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('boot_id', -1)")
        #expect(throws: StoreError.self) { try store.startBoot(nowMicroseconds: 1) }
        try fixture.execute("UPDATE meta SET value = \(Int64.max) WHERE key = 'boot_id'")
        #expect(throws: StoreError.self) { try store.startBoot(nowMicroseconds: 1) }
        try fixture.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('events_acked', -1)")
        #expect(throws: StoreError.self) { try store.marks() }
        #expect(throws: StoreError.self) { try store.commit(events: [], bins: []) }
    }

    @Test("record numbers are never reused, even after retention removed the newest")
    func recordNumbersNotReused() throws {
        let fixture = StoreFixture()
        do {
            let store = try fixture.open(retention: StoreRetention(maximumAgeDays: 1))
            try store.commit(events: StoreFixture.events(count: 10, timeMilliseconds: 1000), bins: [])
            let outcome = try store.enforceRetention(nowSeconds: 10 * 86_400)
            #expect(outcome.eventsRemoved == 10)
            #expect(outcome.unacknowledgedRemoved == 10)
        }
        let reopened = try fixture.open()
        let marks = try reopened.commit(events: StoreFixture.events(count: 1), bins: [])
        #expect(marks.eventsFirst == 11 && marks.eventsLast == 11)
    }

    @Test("retention by age removes old events and bins and counts the unacknowledged ones")
    func retentionByAge() throws {
        let fixture = StoreFixture()
        let store = try fixture.open(retention: StoreRetention(maximumAgeDays: 7))
        let day: UInt64 = 86_400
        let now = 100 * day
        try store.commit(events: StoreFixture.events(count: 40, timeMilliseconds: (now - 10 * day) * 1000), bins: [])
        try store.commit(events: StoreFixture.events(count: 60, timeMilliseconds: (now - day) * 1000), bins: [])
        try store.commit(events: [], bins: StoreFixture.bins(startSeconds: now - 8 * day), acknowledgedEvents: 25)
        try store.commit(events: [], bins: StoreFixture.bins(startSeconds: now - 6 * day))
        let outcome = try store.enforceRetention(nowSeconds: now)
        #expect(outcome.eventsRemoved == 40)
        #expect(outcome.countBinsRemoved == 16)
        #expect(outcome.unacknowledgedRemoved == 15 + 16)
        let marks = try store.marks()
        #expect(marks.eventsFirst == 41 && marks.countsFirst == 17)
    }

    @Test("the size limit trims the oldest events and keeps a week of counts for 16 detectors")
    func retentionBySize() throws {
        let fixture = StoreFixture()
        let store = try fixture.open(retention: StoreRetention(maximumAgeDays: 30, maximumBytes: 4 << 20))
        let start: UInt64 = 1_700_000_100
        var bins: [CountBin] = []
        for bin in 0..<(7 * 96) {
            bins += StoreFixture.bins(startSeconds: start + UInt64(bin) * 900)
        }
        try store.commit(events: [], bins: bins)
        for batch in 0..<40 {
            try store.commit(
                events: StoreFixture.events(
                    count: 5000, firstSequence: UInt64(batch * 5000 + 1),
                    timeMilliseconds: (start + 7 * 86_400) * 1000 + UInt64(batch) * 500_000),
                bins: [])
        }
        #expect(try store.liveBytes() > 4 << 20)
        let outcome = try store.enforceRetention(nowSeconds: start + 7 * 86_400)
        #expect(outcome.eventsRemoved > 0)
        #expect(outcome.countBinsRemoved == 0)
        #expect(try store.liveBytes() <= 4 << 20)
        let marks = try store.marks()
        #expect(marks.countsLast - marks.countsFirst + 1 == UInt64(7 * 96 * 16))
        #expect(marks.eventsLast == 200_000)
        #expect(marks.eventsFirst == UInt64(outcome.eventsRemoved) + 1)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test("a full disk is reported as .full, writes nothing, and the same records commit once there is room")
    func fullDisk() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        try store.commit(events: StoreFixture.events(count: 10), bins: [])
        let pages = try store.liveBytes() / 4096
        try store.limitPages(Int(pages) + 1)
        let pending = StoreFixture.events(count: 20_000, firstSequence: 11)
        #expect(throws: StoreError.full) { try store.commit(events: pending, bins: []) }
        #expect(try store.marks().eventsLast == 10)
        try store.limitPages(1_000_000)
        let marks = try store.commit(events: pending, bins: [])
        #expect(marks.eventsLast == 20_010)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test("a second connection on the same file reads what the first committed")
    func concurrentReader() throws {
        let fixture = StoreFixture()
        let writer = try fixture.open()
        let reader = try fixture.open()
        try writer.commit(events: StoreFixture.events(count: 5), bins: [])
        #expect(try reader.events(after: 0, limit: 10).count == 5)
        #expect(try reader.marks().eventsLast == 5)
    }
}
