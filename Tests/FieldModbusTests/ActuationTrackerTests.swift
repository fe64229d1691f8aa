import Testing

@testable import FieldModbus

@Suite struct ActuationTrackerTests {
    @Test func counterDeltasWrapAt65536() {
        var tracker = ActuationTracker()
        #expect(tracker.observe(presence: nil, counter: 65_533, continuous: false).counted == 0)
        let outcome = tracker.observe(presence: nil, counter: 2, continuous: true)
        #expect(outcome == ActuationTracker.Outcome(counted: 5, discarded: 0, counterReset: false))
        #expect(tracker.observe(presence: nil, counter: 2, continuous: true).counted == 0)
    }

    @Test func theFirstReadingIsOnlyABaseline() {
        var tracker = ActuationTracker()
        #expect(tracker.observe(presence: nil, counter: 4_000, continuous: true) == ActuationTracker.Outcome())
        #expect(tracker.observe(presence: nil, counter: 4_003, continuous: true).counted == 3)
    }

    @Test func countsAcrossAGapAreDiscardedNotReported() {
        var tracker = ActuationTracker()
        _ = tracker.observe(presence: nil, counter: 10, continuous: true)
        let outcome = tracker.observe(presence: nil, counter: 17, continuous: false)
        #expect(outcome == ActuationTracker.Outcome(counted: 0, discarded: 7, counterReset: false))
        #expect(tracker.observe(presence: nil, counter: 18, continuous: true).counted == 1)
    }

    @Test func anImplausibleJumpIsACounterReset() {
        var tracker = ActuationTracker()
        _ = tracker.observe(presence: nil, counter: 500, continuous: true)
        let outcome = tracker.observe(presence: nil, counter: 3, continuous: true)
        #expect(outcome == ActuationTracker.Outcome(counted: 0, discarded: 0, counterReset: true))
        #expect(tracker.observe(presence: nil, counter: 5, continuous: true).counted == 2)
        let largest = ActuationTracker.largestPlausibleStep
        var other = ActuationTracker()
        _ = other.observe(presence: nil, counter: 0, continuous: true)
        #expect(other.observe(presence: nil, counter: UInt16(largest), continuous: true).counted == largest)
    }

    @Test func presenceOnlyDetectorsCountRisingEdges() {
        var tracker = ActuationTracker()
        let readings: [Bool] = [false, true, true, false, true, false, false, true]
        let counted = readings.map { tracker.observe(presence: $0, counter: nil, continuous: true).counted }
        #expect(counted == [0, 1, 0, 0, 1, 0, 0, 1])
    }

    @Test func presenceAfterAGapIsNotAnEdge() {
        var tracker = ActuationTracker()
        _ = tracker.observe(presence: false, counter: nil, continuous: true)
        #expect(tracker.observe(presence: true, counter: nil, continuous: false).counted == 0)
        _ = tracker.observe(presence: false, counter: nil, continuous: true)
        #expect(tracker.observe(presence: true, counter: nil, continuous: true).counted == 1)
    }

    @Test func aCounterTakesPrecedenceOverPresenceEdges() {
        var tracker = ActuationTracker()
        _ = tracker.observe(presence: false, counter: 1, continuous: true)
        // Three vehicles passed between polls; presence happens to read on once.
        #expect(tracker.observe(presence: true, counter: 4, continuous: true).counted == 3)
    }
}
