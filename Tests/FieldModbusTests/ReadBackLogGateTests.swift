import Testing

@testable import FieldModbus

/// A lamp read-back mismatch is logged when it starts, changes or ends, and otherwise at most every
/// ten seconds, with the polls alike counted (it was once logged on every poll, 12 lines a second).
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
        // Other groups are news at once; the end is logged once.
        #expect(gate.note(["N", "S"], at: 11 * Self.second + 1) == .mismatch(alikeBefore: 0))
        #expect(gate.note([], at: 12 * Self.second) == .matchesAgain)
        #expect(gate.note([], at: 13 * Self.second) == nil)
    }
}
