import SystemInterface
import Testing

/// A device that misbehaves at every poll (counters jumping, a link failing and recovering in turn) wrote a
/// warning per poll, about 120 lines a second; each such event is now logged at most every ten seconds.
@Suite struct LogRateGateTests {
    static let second = 1_000_000_000

    @Test func anEventAtEveryPollIsLoggedOncePerIntervalWithThoseBetweenCounted() {
        var gate = LogRateGate()
        #expect(gate.admit(at: 1 * Self.second) == 0)
        for poll in 1..<100 {
            #expect(gate.admit(at: 1 * Self.second + poll * Self.second / 10) == nil, "poll \(poll)")
        }
        #expect(gate.admit(at: 11 * Self.second) == 99)
        #expect(gate.admit(at: 12 * Self.second) == nil)
        // Quiet for longer than the interval: the next one is logged at once, with the one passed over.
        #expect(gate.admit(at: 60 * Self.second) == 1)
        #expect(LogRateGate.suffix(0, "failures") == "")
        #expect(LogRateGate.suffix(3, "failures") == " (and 3 more failures since the last such line)")
    }

    /// A technician's few commands in a row are each logged; a flood of them is counted, and the count
    /// is said when the interval ends even if nothing follows.
    @Test func aBurstPassesAndAFloodIsCountedAndSaidWhenItsIntervalEnds() {
        var gate = LogRateGate(burst: 3)
        #expect((0..<3).map { gate.admit(at: $0 * Self.second / 10) } == [0, 0, 0])
        for request in 3..<50 {
            #expect(gate.admit(at: request * Self.second / 10) == nil)
        }
        #expect(gate.overdue(at: 9 * Self.second) == nil)
        #expect(!gate.isSpent(at: 9 * Self.second))
        #expect(gate.overdue(at: 10 * Self.second) == 47)
        #expect(gate.overdue(at: 11 * Self.second) == nil)
        // The overdue line opened a window with room for two more.
        #expect(gate.admit(at: 12 * Self.second) == 0)
        #expect(gate.admit(at: 13 * Self.second) == 0)
        #expect(gate.admit(at: 14 * Self.second) == nil)
        #expect(gate.isSpent(at: 30 * Self.second) == false)
        #expect(gate.overdue(at: 30 * Self.second) == 1)
        #expect(gate.isSpent(at: 40 * Self.second))
    }
}
