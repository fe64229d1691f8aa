import JunctionConfig
import RealTimeEngine
import RuntimeTestSupport
import SignalCore
import Testing
import Wire

@testable import UpstreamLink

/// The timekeeping part of the upstream status report: alarm bit 8 and counters 50-55.
@Suite struct UpstreamClockStatusTests {
    private func report(clock: ClockStatus?, stalls: UInt64 = 0) throws -> Wire.StatusReport {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction
        var engine = EngineCounters()
        engine.tickStalls = stalls
        let inputs = UpstreamStatusBuilder.Inputs(
            engine: engine, loopOverruns: 0, ledger: UpstreamLedger.State(), drops: DropCounters(), kernelDrops: 0,
            accepted: 0, sent: 0, sendErrors: 0, resent: 0, pollsAnswered: 0, replaySaveErrors: 0,
            outputUnconfirmedRecently: false, centralSilent: false, clock: clock)
        return UpstreamStatusBuilder(configHash: 1).report(
            SignalController(junction: junction).status, inputs, reason: .periodic)
    }

    @Test func anUnsynchronisedClockPastItsLimitSetsTheAlarmAndTheGauges() throws {
        var clock = ClockStatus(startedMonotonicNanoseconds: 0)
        clock.reading = FakeClockStateSource.unsynchronised
        clock.unsynchronisedSeconds = 1200
        clock.alarm = true
        clock.steps = 2
        let report = try report(clock: clock, stalls: 3)
        #expect(report.alarms.contains(.clockUnsynchronised))
        #expect(report.alarms.names.contains("clock_unsynchronised"))
        #expect(report[.tickStalls] == 3)
        #expect(report[.clockSteps] == 2)
        #expect(report[.clockSynchronised] == 0)
        #expect(report[.clockUnsynchronisedSeconds] == 1200)
        #expect(report[.clockMaxErrorMicroseconds] == 16_000_000)
    }

    @Test func aSynchronisedClockRaisesNoAlarmAndReportsItsOffset() throws {
        var clock = ClockStatus(startedMonotonicNanoseconds: 0)
        clock.reading = FakeClockStateSource.synchronised
        let report = try report(clock: clock)
        #expect(!report.alarms.contains(.clockUnsynchronised))
        #expect(report[.clockSynchronised] == 1)
        // chrony's system-time offset, 12.345 µs, rounded down to whole microseconds.
        #expect(report[.clockOffsetMicroseconds] == 12)
        #expect(report[.clockMaxErrorMicroseconds] == 45_000)
        let unread = try self.report(clock: nil)
        #expect(!unread.alarms.contains(.clockUnsynchronised) && unread[.clockSynchronised] == 0)
    }

    @Test func theNewCountersAndTheAlarmRoundTrip() throws {
        var clock = ClockStatus(startedMonotonicNanoseconds: 0)
        clock.reading = FakeClockStateSource.synchronised
        clock.alarm = true
        let sent = try report(clock: clock, stalls: 5)
        var writer = ByteWriter()
        sent.encode(into: &writer)
        var reader = ByteReader(writer.bytes)
        let received = try Wire.StatusReport.decode(from: &reader)
        #expect(received.alarms.contains(.clockUnsynchronised))
        #expect(received[.tickStalls] == 5 && received[.clockSynchronised] == 1)
    }
}
