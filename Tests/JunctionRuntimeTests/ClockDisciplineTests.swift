import FieldIO
import JunctionConfig
import Logging
import RealTimeEngine
import RuntimeTestSupport
import SignalCore
import SystemInterface
import Testing

@testable import JunctionRuntime

/// Clock steps and synchronisation, judged from a `ManualWallClock`, a `ManualClock` standing for
/// CLOCK_MONOTONIC and a `FakeClockStateSource`: the machine's clock is never read or changed.
@Suite struct ClockDisciplineTests {
    static let second = 1_000_000_000
    /// 2026-12-03 07:00:00 UTC.
    static let morning = 1_764_745_200 * second

    private func discipline(alarmAfterSeconds: Int = 60) -> ClockDiscipline {
        ClockDiscipline(alarmAfterSeconds: alarmAfterSeconds, status: ClockStatus(startedMonotonicNanoseconds: 0))
    }

    @Test func aStepForwardOrBackIsFoundAndAStallIsNot() {
        var clock = discipline()
        let synchronised = FakeClockStateSource.synchronised
        #expect(clock.observe(wallNanoseconds: Self.morning, monotonicNanoseconds: 0, reading: synchronised)
            == [.synchronisationEvent(synchronised: true)])
        // One second on both clocks, plus the slew chrony may add: no step.
        #expect(clock.observe(wallNanoseconds: Self.morning + Self.second + 400_000, monotonicNanoseconds: Self.second, reading: synchronised).isEmpty)
        // The process stopped for 30 s: both clocks ran on together.
        #expect(clock.observe(wallNanoseconds: Self.morning + 31 * Self.second, monotonicNanoseconds: 31 * Self.second, reading: synchronised).isEmpty)
        // An hour forward in one second.
        #expect(clock.observe(wallNanoseconds: Self.morning + 3632 * Self.second, monotonicNanoseconds: 32 * Self.second, reading: synchronised)
            == [.step(nanoseconds: 3600 * Self.second)])
        // Back 90 s.
        #expect(clock.observe(wallNanoseconds: Self.morning + 3543 * Self.second, monotonicNanoseconds: 33 * Self.second, reading: nil)
            == [.step(nanoseconds: -90 * Self.second)])
        #expect(clock.status.steps == 2)
        #expect(clock.status.lastStepMilliseconds == -90_000)
        #expect(ClockDiscipline.event(.step(nanoseconds: -90 * Self.second), tick: 5) == ControllerEvent(tick: 5, code: .clockStep, parameter: -90))
        #expect(ClockDiscipline.event(.step(nanoseconds: 1_600_000_000), tick: 5)?.parameter == 2, "rounded to whole seconds")
    }

    @Test func theAlarmIsRaisedAfterTheLimitAndClearedOnSynchronisation() {
        var clock = discipline(alarmAfterSeconds: 60)
        let unsynchronised = FakeClockStateSource.unsynchronised
        var findings: [ClockDiscipline.Finding] = []
        // A board booted without a time server: nothing to report until the limit.
        for second in 0..<60 {
            findings += clock.observe(
                wallNanoseconds: Self.morning + second * Self.second, monotonicNanoseconds: second * Self.second,
                reading: unsynchronised)
        }
        #expect(findings.isEmpty)
        #expect(!clock.status.alarm && clock.status.unsynchronisedSeconds == 59)
        #expect(clock.observe(wallNanoseconds: Self.morning + 60 * Self.second, monotonicNanoseconds: 60 * Self.second, reading: unsynchronised)
            == [.synchronisationEvent(synchronised: false)])
        #expect(clock.status.alarm)
        // Still unsynchronised: no second event.
        #expect(clock.observe(wallNanoseconds: Self.morning + 61 * Self.second, monotonicNanoseconds: 61 * Self.second, reading: unsynchronised).isEmpty)
        // chrony steps the clock as it synchronises: the step, the change and the event, in order.
        let findingsAtSync = clock.observe(
            wallNanoseconds: Self.morning + 62 * Self.second + 5 * Self.second, monotonicNanoseconds: 62 * Self.second,
            reading: FakeClockStateSource.synchronised)
        #expect(findingsAtSync == [
            .step(nanoseconds: 5 * Self.second), .synchronisationChanged(synchronised: true),
            .synchronisationEvent(synchronised: true),
        ])
        #expect(!clock.status.alarm && clock.status.unsynchronisedSeconds == 0)
        #expect(ClockDiscipline.event(.synchronisationEvent(synchronised: false), tick: 9)?.parameter == 0)
        #expect(ClockDiscipline.event(.synchronisationChanged(synchronised: true), tick: 9) == nil)
    }

    @Test func aShortLossLogsButRaisesNoAlarm() {
        var clock = discipline(alarmAfterSeconds: 60)
        _ = clock.observe(wallNanoseconds: Self.morning, monotonicNanoseconds: 0, reading: FakeClockStateSource.synchronised)
        let lost = clock.observe(
            wallNanoseconds: Self.morning + Self.second, monotonicNanoseconds: Self.second,
            reading: FakeClockStateSource.unsynchronised)
        #expect(lost == [.synchronisationChanged(synchronised: false)])
        let back = clock.observe(
            wallNanoseconds: Self.morning + 30 * Self.second, monotonicNanoseconds: 30 * Self.second,
            reading: FakeClockStateSource.synchronised)
        #expect(back == [.synchronisationChanged(synchronised: true)], "no 209: the alarm was never raised")
    }
}

/// The clock watch on a running engine: a wall-clock step is journalled and logged, and never
/// changes a lamp.
@Suite struct ClockStepEngineTests {
    /// Runs the simulated Cirebon junction for `ticks` ticks with a clock watch observing once a
    /// simulated second; `steps` moves the wall clock at the given ticks. Returns every tick's lamps.
    private func run(ticks: Int, steps: [Int: Int], logger: Logger = Logger(label: "test"))
        throws -> (lamps: [[SignalState]], events: [EventJournal.Entry])
    {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction
        let simulated = SimulatedJunction(junction: junction, seed: 11)
        let wall = ManualWallClock(nanosecondsSinceEpoch: ClockDisciplineTests.morning)
        let monotonic = ManualClock()
        let engine = JunctionEngine(junction: junction, inputs: simulated, outputs: simulated, wallClock: wall)
        let watch = ClockWatch(
            engine: engine, alarmAfterSeconds: 900, source: FakeClockStateSource(), wallClock: wall, clock: monotonic,
            logger: logger)
        var lamps: [[SignalState]] = []
        for tick in 1...ticks {
            if let step = steps[tick] { wall.advance(by: step) }
            engine.tick(Tenths(tick))
            lamps.append(engine.board.withLock { $0.status.signals })
            wall.advance(by: 100_000_000)
            monotonic.advance(by: 100_000_000)
            if tick % 10 == 0 { watch.pass() }
        }
        let events = engine.board.withLock { $0.journal.entries(after: 0) }
        return (lamps, events)
    }

    @Test func aWallClockStepNeverChangesAGreen() throws {
        let hour = 3600 * ClockDisciplineTests.second
        let (logger, logs) = CapturingLogHandler.logger()
        let steady = try run(ticks: 6000, steps: [:])
        let stepped = try run(ticks: 6000, steps: [1503: hour, 4207: -2 * hour], logger: logger)
        #expect(stepped.lamps == steady.lamps, "every tick's lamps are those of the run without steps")
        let steps = stepped.events.filter { $0.event.code == .clockStep }
        #expect(steps.map(\.event.parameter) == [3600, -7200])
        #expect(steady.events.filter { $0.event.code == .clockStep }.isEmpty)
        #expect(steps.map(\.event.tick) == [1510, 4210], "journalled at the first observation after the step")
        // The wall-clock stamps jump with the clock; the ticks do not.
        #expect(steps[1].wallMilliseconds - steps[0].wallMilliseconds < 0)
        #expect(logs.all.filter { $0.contains("wall clock stepped") }.count == 2)
    }

    @Test func aTickStallIsJournalledOnceWithItsFigureAndLogged() throws {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction
        let simulated = SimulatedJunction(junction: junction, seed: 3)
        let engine = JunctionEngine(
            junction: junction, inputs: simulated, outputs: simulated, tickStallLimitNanoseconds: 500_000_000)
        let (logger, logs) = CapturingLogHandler.logger()
        let watch = ClockWatch(
            engine: engine, alarmAfterSeconds: 900, source: FakeClockStateSource(),
            wallClock: ManualWallClock(nanosecondsSinceEpoch: ClockDisciplineTests.morning), clock: ManualClock(),
            logger: logger)
        for tick in 1...100 { engine.tick(Tenths(tick), wakeDelayNanoseconds: tick == 50 ? 500_000_000 : 20_000) }
        engine.tick(101, wakeDelayNanoseconds: 3_012_345_678)
        for tick in 102...120 { engine.tick(Tenths(tick)) }
        watch.pass()
        let stalls = engine.board.withLock { $0.journal.entries(after: 0) }.filter { $0.event.code == .tickStall }
        #expect(stalls.map(\.event) == [ControllerEvent(tick: 101, code: .tickStall, parameter: 3012)])
        let counters = engine.board.withLock { $0.counters }
        #expect(counters.tickStalls == 1 && counters.lastTickStallMilliseconds == 3012)
        #expect(logs.all.filter { $0.contains("control loop stalled") && $0.contains("stall_ms=3012") }.count == 1)
        watch.pass()
        #expect(logs.all.filter { $0.contains("control loop stalled") }.count == 1, "one line per stall")
    }
}
