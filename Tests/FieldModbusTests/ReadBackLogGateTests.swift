import Testing

@testable import FieldModbus

/// A lamp read-back mismatch is logged when it starts or ends, and otherwise at most every ten
/// seconds, with the polls in between counted (it was once logged on every poll, 12 lines a second).
@Suite struct ReadBackLogGateTests {
    static let second = 1_000_000_000

    @Test func aLastingMismatchIsLoggedOncePerIntervalWithThePollsBetweenCounted() {
        var gate = ReadBackLogGate()
        #expect(gate.note([], at: 0) == nil)
        #expect(gate.note(["N"], at: 1 * Self.second) == .mismatch(alikeBefore: 0))
        // Twelve polls a second for ten seconds: none logged.
        var logged = 0
        for poll in 1..<120 {
            if gate.note(["N"], at: Self.second + poll * Self.second / 12) != nil { logged += 1 }
        }
        #expect(logged == 0)
        #expect(gate.note(["N"], at: 11 * Self.second) == .mismatch(alikeBefore: 119))
        // A flapping coil that names other groups poll by poll is the same lasting mismatch.
        for poll in 1..<12 {
            #expect(gate.note(poll % 2 == 0 ? ["N"] : ["N", "S"], at: 11 * Self.second + poll * Self.second / 12) == nil)
        }
        // The end is logged once.
        #expect(gate.note([], at: 12 * Self.second) == .matchesAgain)
        #expect(gate.note([], at: 13 * Self.second) == nil)
    }
}
