import CentralCore
import Foundation
import Testing
import Wire

/// Acknowledgements: who may sign one, how an acknowledged alarm sorts, and how one outlives a restart of central.
@Suite struct AlarmAcknowledgementTests {
    private static let now: Int64 = 1_700_000_000_000

    /// Junction `id` as the board holds it, heard from just now with `alarms` set, or never heard from.
    private func junction(_ id: UInt32, alarms: StatusAlarms? = []) -> LiveJunction {
        var junction = LiveJunction(entry: TestJunction(id: id).entry)
        if let alarms {
            var report = StatusReport()
            report.alarms = alarms
            junction.status = report
            junction.lastReportMilliseconds = Self.now
        }
        return junction
    }

    private func review(_ book: inout AlarmBook, _ junctions: [LiveJunction]) {
        _ = book.review(
            junctions: junctions, centralStoreProblem: nil, startedMilliseconds: Self.now - 1_000,
            nowMilliseconds: Self.now, staleAfterMilliseconds: 5_000)
    }

    private func acknowledgement(_ by: String, note: String? = nil) throws -> AlarmAcknowledgement {
        try #require(AlarmAcknowledgement(by: by, note: note, atMilliseconds: Self.now))
    }

    @Test func aNameIsRequiredTrimmedAndLimited() throws {
        #expect(try acknowledgement("  Sari \n", note: "  checked the loops  ").by == "Sari")
        #expect(try acknowledgement("Sari", note: "  checked  ").note == "checked")
        #expect(try acknowledgement("Sari", note: "   ").note == nil)
        #expect(AlarmAcknowledgement(by: "   ", note: nil, atMilliseconds: 0) == nil)
        #expect(AlarmAcknowledgement(by: "", note: nil, atMilliseconds: 0) == nil)
        #expect(AlarmAcknowledgement(by: "Sa\u{7}ri", note: nil, atMilliseconds: 0) == nil)
        // Text that reorders or hides what the dashboard shows: a bidirectional override, a zero-width space.
        #expect(AlarmAcknowledgement(by: "\u{202E}evil", note: nil, atMilliseconds: 0) == nil)
        #expect(AlarmAcknowledgement(by: "Sari\u{200B}x", note: nil, atMilliseconds: 0) == nil)
        #expect(AlarmAcknowledgement(by: "Sari", note: "ok \u{202E}reversed", atMilliseconds: 0) == nil)
        #expect(AlarmAcknowledgement(by: "Sari", note: "bell\u{7}", atMilliseconds: 0) == nil)
        #expect(try acknowledgement("Sari", note: "loop 3 replaced\n\tcabinet door fixed").note
            == "loop 3 replaced\n\tcabinet door fixed")
        #expect(AlarmAcknowledgement(by: String(repeating: "a", count: 64), note: nil, atMilliseconds: 0) != nil)
        #expect(AlarmAcknowledgement(by: String(repeating: "a", count: 65), note: nil, atMilliseconds: 0) == nil)
        #expect(AlarmAcknowledgement(by: "Sari", note: String(repeating: "n", count: 501), atMilliseconds: 0) == nil)
    }

    @Test func anAcknowledgedStandingAlarmSortsBelowTheUnacknowledgedOnesOfItsSeverity() throws {
        var book = AlarmBook()
        review(&book, [junction(7, alarms: [.eventsLost]), junction(8, alarms: [.eventsLost, .safetyFault])])
        let before = book.worstFirst.map { ($0.junctionID, $0.kind) }
        #expect(before.map(\.1) == [.monitorFault, .eventsLost, .eventsLost])
        // Of the two major alarms raised together the newer number comes first: junction 8's.
        #expect(before[1].0 == 8)
        let number = book.worstFirst[1].number
        let version = book.version
        guard case .acknowledged(let alarm) = book.acknowledge(number: number, try acknowledgement("Sari")) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(alarm.acknowledgement?.by == "Sari")
        #expect(book.version > version, "a watcher sends the list again")
        let after = book.worstFirst
        #expect(after.map(\.junctionID) == [8, 7, 8])
        #expect(after[2].acknowledgement?.by == "Sari")
        // Severity still comes first: an unacknowledged critical alarm stays on top however others are marked.
        #expect(book.acknowledge(number: number, try acknowledgement("Budi")) == .alreadyAcknowledged(alarm))
        #expect(book.acknowledge(number: 99, try acknowledgement("Budi")) == .unknown)
    }

    @Test func anAcknowledgementOutlivesARestartWhileItsAlarmStandsAndLapsesOnceItIsGone() throws {
        let path = NSTemporaryDirectory() + "acks-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        _ = try CentralStore(path: path)
        do {
            let store = try AcknowledgementStore(path: path)
            try store.record(.init(junctionID: 7, kind: .eventsLost, acknowledgement: try acknowledgement("Sari")))
            var later = try acknowledgement("Budi", note: "tech on site")
            later.atMilliseconds += 1_000
            try store.record(.init(junctionID: 7, kind: .eventsLost, acknowledgement: later))
            try store.record(.init(junctionID: 8, kind: .offline, acknowledgement: try acknowledgement("Sari")))
            try store.record(.init(junctionID: nil, kind: .centralStore, acknowledgement: try acknowledgement("Ops")))
        }
        // central restarts: a new connection reads what the last run wrote.
        let carried = try AcknowledgementStore(path: path).newest()
        #expect(carried.count == 3)
        #expect(carried.first { $0.junctionID == 7 }?.acknowledgement.by == "Budi", "the newest per alarm")
        #expect(carried.first { $0.junctionID == nil }?.kind == .centralStore)

        // Junction 7 still reports its condition: the new alarm is born acknowledged. 8 has not reported yet, so its
        // acknowledgement waits; central's store is fine, so that one lapses.
        var book = AlarmBook()
        book.carryOver(carried)
        review(&book, [junction(7, alarms: [.eventsLost]), junction(8, alarms: nil)])
        let alarm = try #require(book.alarms.first)
        #expect(book.alarms.count == 1)
        #expect(alarm.acknowledgement?.by == "Budi")
        #expect(alarm.acknowledgement?.note == "tech on site")
        // Junction 8 reports, and is not offline: that acknowledgement lapses; its later offline alarm is a new one.
        review(&book, [junction(7, alarms: [.eventsLost]), junction(8)])
        var silent = junction(8)
        silent.lastReportMilliseconds = Self.now - 10_000
        review(&book, [junction(7, alarms: [.eventsLost]), silent])
        let offline = try #require(book.alarms.first { $0.kind == .offline })
        #expect(offline.acknowledgement == nil)

        // A condition gone at the first look after the restart takes its acknowledgement with it.
        var fresh = AlarmBook()
        fresh.carryOver(carried)
        review(&fresh, [junction(7), junction(8)])
        review(&fresh, [junction(7, alarms: [.eventsLost]), junction(8)])
        #expect(try #require(fresh.alarms.first).acknowledgement == nil)
    }
}
