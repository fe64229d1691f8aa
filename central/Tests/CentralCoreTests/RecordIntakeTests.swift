import Testing
import Wire

/// Central's record marks at the top of the number range: whatever a store held, the intake never traps.
@Suite struct RecordIntakeTests {
    @Test func aMarkAtTheTopOfTheRangeTakesEveryRecordAsADuplicate() {
        var intake = RecordIntake(through: UInt64.max)
        #expect(intake.retire(below: 1) == 0)
        #expect(intake.retire(below: UInt64.max) == 0)
        #expect(intake.take(5) == .duplicate)
        #expect(intake.take(UInt64.max) == .duplicate)
        #expect(intake.through == UInt64.max)
    }

    @Test func theLastRecordNumberClosesAGapWithoutOverflow() {
        var intake = RecordIntake(through: UInt64.max - 3)
        #expect(intake.take(UInt64.max) == .new)
        #expect(intake.take(UInt64.max - 1) == .new)
        #expect(intake.take(UInt64.max - 2) == .new)
        #expect(intake.through == UInt64.max)
        #expect(intake.retire(below: UInt64.max) == 0)
    }
}
