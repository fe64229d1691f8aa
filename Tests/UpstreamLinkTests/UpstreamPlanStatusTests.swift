import JunctionConfig
import RealTimeEngine
import SignalCore
import Testing
import Wire

@testable import UpstreamLink

/// The plan in the upstream status report: counters 50–52 (docs/protocol.md) carry the running
/// plan's pattern number, who chose it and the seconds to the schedule's next change.
@Suite struct UpstreamPlanStatusTests {
    static func inputs(nextPlanChangeSeconds: UInt64) -> UpstreamStatusBuilder.Inputs {
        UpstreamStatusBuilder.Inputs(
            engine: EngineCounters(), loopOverruns: 0, ledger: UpstreamLedger.State(), drops: DropCounters(),
            kernelDrops: 0, accepted: 0, sent: 0, sendErrors: 0, resent: 0, pollsAnswered: 0, replaySaveErrors: 0,
            outputUnconfirmedRecently: false, centralSilent: false, nextPlanChangeSeconds: nextPlanChangeSeconds)
    }

    @Test func planCountersCarryPatternSourceAndNextChange() throws {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction
        var status = SignalController(junction: junction).status
        status.planNumber = 2
        status.planSource = .override
        let report = UpstreamStatusBuilder(configHash: 1).report(status, Self.inputs(nextPlanChangeSeconds: 900), reason: .periodic)
        #expect(report[.planPattern] == 2)
        #expect(report[.planSource] == 2)
        #expect(report[.nextPlanChangeSeconds] == 900)
        var writer = ByteWriter()
        report.encode(into: &writer)
        var reader = ByteReader(writer.bytes)
        let decoded = try StatusReport.decode(from: &reader)
        #expect(decoded[.planPattern] == 2 && decoded[.planSource] == 2 && decoded[.nextPlanChangeSeconds] == 900)
    }

    @Test func secondsToTheNextChangeComeFromTheOutlook() throws {
        let monday = LocalDate(year: 2027, month: 8, day: 16)
        let schedule = try TimeOfDaySchedule(
            dayPlans: [
                DayPlan(
                    name: "d",
                    switches: [.init(secondOfDay: 0, selection: .actuated), .init(secondOfDay: 3600, selection: .adaptive)])
            ],
            week: Array(repeating: "d", count: 7), utcOffsetSeconds: 0)
        let now = LocalDateTime(date: monday, secondOfDay: 600)
        let outlook = ScheduleOutlook(localTime: now, decision: schedule.selection(at: now))
        #expect(UpstreamStatusBuilder.secondsToNextChange(outlook) == 3000)
        #expect(UpstreamStatusBuilder.secondsToNextChange(nil) == 0)
    }
}
