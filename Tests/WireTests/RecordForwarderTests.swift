import Testing
import Wire

/// The junction's rules for pushing records: acks only rise and never pass what is stored, pushes stay inside a
/// window past the ack, a stall goes back to the ack, and resends are told from first sends.
@Suite("Record forwarder")
struct RecordForwarderTests {
    static func events(_ numbers: ClosedRange<UInt64>) -> [EventRecord] {
        numbers.map { EventRecord(recordNumber: $0, timeMilliseconds: 1_000 * $0, code: 82, parameter: 1) }
    }

    @Test func anAcknowledgementOnlyRisesAndNeverPassesTheStoredRecords() {
        var forwarder = RecordForwarder(acknowledged: 10)
        var marks: [UInt64] = []
        let rose = [30, 20, 999, 50].map { (through: UInt64) -> Bool in
            defer { marks.append(forwarder.acknowledged) }
            return forwarder.acknowledge(through: through, storedThrough: 50)
        }
        #expect(rose == [true, false, true, false])
        #expect(marks == [30, 30, 50, 50])
    }

    @Test func pushesResumeAfterTheAcknowledgedMark() {
        var forwarder = RecordForwarder(acknowledged: 7)
        #expect(forwarder.sentThrough == 7)
        #expect(!forwarder.outstanding)
        #expect(forwarder.due(storedThrough: 20, window: 100, budget: 100) == 13)
        let resent = forwarder.sent(Self.events(8...20))
        #expect(resent == 0)
        #expect(forwarder.outstanding)
        #expect(forwarder.due(storedThrough: 20, window: 100, budget: 100) == 0)
    }

    @Test func whatIsDueStaysWithinTheBudgetAndTheWindow() {
        var forwarder = RecordForwarder(acknowledged: 0)
        #expect(forwarder.due(storedThrough: 1_000, window: 100, budget: 40) == 40)
        #expect(forwarder.due(storedThrough: 1_000, window: 100, budget: 0) == 0)
        _ = forwarder.sent(Self.events(1...90))
        #expect(forwarder.due(storedThrough: 1_000, window: 100, budget: 40) == 10)
        _ = forwarder.sent(Self.events(91...100))
        #expect(forwarder.due(storedThrough: 1_000, window: 100, budget: 40) == 0)
        // An ack moves the window.
        let rose = forwarder.acknowledge(through: 50, storedThrough: 1_000)
        #expect(rose)
        #expect(forwarder.due(storedThrough: 1_000, window: 100, budget: 400) == 50)
    }

    @Test func anAcknowledgementAheadOfThePushesMovesThemOn() {
        var forwarder = RecordForwarder(acknowledged: 0)
        _ = forwarder.sent(Self.events(1...10))
        // Central polled and holds more than was pushed.
        let rose = forwarder.acknowledge(through: 25, storedThrough: 40)
        #expect(rose)
        #expect(forwarder.sentThrough == 25)
        #expect(!forwarder.outstanding)
    }

    @Test func aRewindSendsAgainFromTheMarkAndCountsTheResends() {
        var forwarder = RecordForwarder(acknowledged: 0)
        let first = forwarder.sent(Self.events(1...20))
        _ = forwarder.acknowledge(through: 5, storedThrough: 20)
        forwarder.rewind()
        #expect(first == 0)
        #expect(forwarder.sentThrough == 5)
        #expect(forwarder.due(storedThrough: 30, window: 100, budget: 100) == 25)
        let resent = forwarder.sent(Self.events(6...30))
        #expect(resent == 15)
        #expect(forwarder.highestSent == 30)
    }

    @Test func recordsRetiredBeforeTheyWereSentAreSkippedToTheWindowsEnd() {
        var forwarder = RecordForwarder(acknowledged: 0)
        forwarder.skipRetired(storedThrough: 500, window: 100)
        #expect(forwarder.sentThrough == 100)
        forwarder.skipRetired(storedThrough: 50, window: 100)
        #expect(forwarder.sentThrough == 100)
    }

    @Test func anEmptyBatchChangesNothing() {
        var forwarder = RecordForwarder(acknowledged: 3)
        let resent = forwarder.sent([EventRecord]())
        #expect(resent == 0)
        #expect(forwarder.sentThrough == 3)
    }
}
