import Testing

@testable import FieldModbus

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
}
