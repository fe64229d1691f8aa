import Testing
import Wire

/// Central's rules for arriving records: each number is new once, the mark runs without gaps, retired records
/// count as held.
@Suite("Record intake")
struct RecordIntakeTests {
    @Test func recordsInOrderAreNewAndMoveTheMark() {
        var intake = RecordIntake()
        let verdicts = (1...5).map { intake.take($0) }
        #expect(verdicts == Array(repeating: .new, count: 5))
        #expect(intake.through == 5)
    }

    @Test func aResendIsADuplicate() {
        var intake = RecordIntake(through: 3)
        let verdicts = [2, 3, 4, 4].map { intake.take($0) }
        #expect(verdicts == [.duplicate, .duplicate, .new, .duplicate])
        #expect(intake.through == 4)
    }

    @Test func recordsAboveAGapWaitAndTheMarkClosesOverThem() {
        var intake = RecordIntake()
        let before = [1, 4, 5, 4].map { intake.take($0) }
        #expect(before == [.new, .new, .new, .duplicate])
        #expect(intake.through == 1)
        let three = intake.take(3)
        #expect(three == .new)
        #expect(intake.through == 1)
        let after = [2, 5].map { intake.take($0) }
        #expect(after == [.new, .duplicate])
        #expect(intake.through == 5)
    }

    @Test func recordsRetiredAtTheJunctionCountAsHeldAndTheMissingOnesAreCounted() {
        var intake = RecordIntake(through: 10)
        let held = [13, 25].map { intake.take($0) }
        #expect(held == [.new, .new])
        // The junction's retention removed 11...19: central had 13 of them.
        let lost = intake.retire(below: 20)
        #expect(lost == 8)
        #expect(intake.through == 19)
        let after = (20...24).map { intake.take($0) }
        #expect(after == Array(repeating: .new, count: 5))
        #expect(intake.through == 25)
    }

    @Test func retirementBelowTheMarkChangesNothing() {
        var intake = RecordIntake(through: 10)
        let lost = [5, 11].map { intake.retire(below: $0) }
        #expect(lost == [0, 0])
        #expect(intake.through == 10)
    }

    @Test func retirementReachingHeldRecordsClosesTheGapOverThem() {
        var intake = RecordIntake()
        let held = [5, 6].map { intake.take($0) }
        #expect(held == [.new, .new])
        let lost = intake.retire(below: 5)
        #expect(lost == 4)
        #expect(intake.through == 6)
    }

    @Test func recordsAboveAGapBeyondTheLimitAreRefusedUntilItCloses() {
        var intake = RecordIntake()
        let limit = UInt64(RecordIntake.maximumRecordsAboveGap)
        let held = (2...(limit + 1)).map { intake.take($0) }
        #expect(held.allSatisfy { $0 == .new })
        let refused = intake.take(limit + 2)
        #expect(refused == .overflow)
        // The refused record was not taken: after the gap closes it is new when sent again.
        let gap = intake.take(1)
        #expect(gap == .new)
        #expect(intake.through == limit + 1)
        let again = intake.take(limit + 2)
        #expect(again == .new)
    }

    @Test func aRestartFromTheCommittedMarkTakesUncommittedRecordsAgain() {
        var intake = RecordIntake(through: 4)
        let first = [5, 7].map { intake.take($0) }
        // The commit that held 5 and 7 failed: central restarts the intake from its committed mark.
        intake = RecordIntake(through: 4)
        let second = [5, 7].map { intake.take($0) }
        #expect(first == [.new, .new])
        #expect(second == [.new, .new])
    }
}
