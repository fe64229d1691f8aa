import FieldIO
import JunctionConfig
import Logging
import SignalCore
import SystemInterface
import Testing

@testable import RealTimeEngine

/// The schedule at engine level: Cirebon's week program driven by a wall clock moved by hand,
/// through the real mailbox and ticks. Every plan change must come at the right local time, at a
/// safe point, as event 131 in order; a technician's override holds across a scheduled change
/// until `plan auto`; a wall-clock step applies the new time at the next safe point.
@Suite struct ScheduleDriverTests {
    /// 2027-08-16 (a Monday) 00:00 WIB, in seconds since the epoch.
    static let mondayMidnight = LocalDate(year: 2027, month: 8, day: 16).dayNumber * 86_400 - 7 * 3600

    /// An engine on Cirebon's simulated field with its schedule, ticked by hand: each `second`
    /// runs ten ticks, moves the wall clock one second and lets the driver look once.
    final class Day {
        let configuration: JunctionConfiguration
        let engine: JunctionEngine
        let clock = ManualWallClock(nanosecondsSinceEpoch: 0)
        let driver: ScheduleDriver
        var tick: Tenths = 0
        var journalSeen: UInt64 = 0
        /// Every 131 and 210 event: (local time of the wall clock, code, parameter, stage rest before).
        var planEvents: [(time: LocalDateTime, code: Int, parameter: Int, safe: Bool)] = []
        /// Ticks a stage change was under way.
        private var changingStage = false

        init() throws {
            configuration = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in")
            let junction = configuration.junction
            engine = JunctionEngine(
                junction: junction, inputs: SimulatedJunction(junction: junction, seed: 16),
                outputs: OutputModuleFake(groupCount: junction.groups.count))
            driver = ScheduleDriver(
                schedule: try #require(configuration.schedule), clock: clock, engine: engine,
                logger: Logger(label: "schedule-test"))
        }

        /// Sets the wall clock to `hour:minute` local time on Monday (a step, as an NTP step would be).
        func setClock(_ hour: Int, _ minute: Int) {
            clock.set(nanosecondsSinceEpoch: (ScheduleDriverTests.mondayMidnight + hour * 3600 + minute * 60) * 1_000_000_000)
        }

        var localTime: LocalDateTime {
            driver.schedule.localTime(secondsSinceEpoch: clock.nanosecondsSinceEpoch() / 1_000_000_000)
        }

        func run(seconds: Int) {
            for _ in 0..<seconds {
                for _ in 0..<10 {
                    tick += 1
                    engine.tick(tick)
                    let (status, entries) = engine.board.withLock { board in
                        ((board.status.mode, board.status.inTransition), board.journal.entries(after: journalSeen, limit: 512))
                    }
                    for entry in entries {
                        journalSeen = entry.sequence
                        let code = entry.event.code
                        guard code == .patternChange || code == .scheduleOverride else { continue }
                        planEvents.append((localTime, Int(code.rawValue), entry.event.parameter, !changingStage))
                    }
                    changingStage = status.0 == .normal && status.1
                }
                clock.advance(by: 1_000_000_000)
                driver.poll()
            }
        }

        func post(_ request: ControlRequest) {
            #expect(engine.mailbox.post(request) != nil)
        }

        var status: ControllerStatus { engine.board.withLock { $0.status.detached() } }

        /// At 06:00, reloads the junction with `weekday_peak` renamed `peak` and runs until the loop
        /// has taken it over; the driver keeps the old schedule. Returns the reloaded configuration.
        func reloadWithWeekdayPeakRenamed() throws -> JunctionConfiguration {
            setClock(6, 0)
            run(seconds: 60)
            let renamed = try JunctionConfigLoader().load(
                source: BuiltInJunctions.cirebon4Arm.replacingOccurrences(of: "weekday_peak", with: "peak"), name: "renamed")
            let reload = engine.postReload(renamed.junction, adaptive: renamed.adaptive)
            run(seconds: 120)
            #expect(engine.mailbox.reloadOutcome(of: reload) == .accepted)
            return renamed
        }
    }

    @Test func aSimulatedMondayChangesPlansAtTheScheduledTimes() throws {
        let day = try Day()
        day.setClock(0, 0)
        day.run(seconds: 60)
        #expect(day.status.planSource == .schedule)
        #expect(day.status.planName == nil)
        #expect(day.driver.poll().decision.next?.at == LocalDateTime(date: LocalDate(year: 2027, month: 8, day: 16), secondOfDay: 6 * 3600 + 1800))
        // Between the switches the clock is stepped ahead to a few minutes before the next one.
        for (hour, minute) in [(6, 28), (8, 28), (14, 58)] {
            day.setClock(hour, minute)
            day.run(seconds: 300)
        }
        // 15:00: the technician takes actuated control; the 15:30 switch must not end it.
        day.post(.selectPlan(nil))
        day.run(seconds: 60)
        day.setClock(15, 28)
        day.run(seconds: 300)
        #expect(day.status.planSource == .override)
        #expect(day.status.planName == nil)
        #expect(day.driver.poll().decision.selection == .fixedTime("weekday_peak"))
        // `plan auto`: the schedule's weekday_peak runs again.
        day.post(.releaseOverride)
        day.run(seconds: 300)
        #expect(day.status.planName == "weekday_peak")
        for (hour, minute) in [(18, 28), (20, 58)] {
            day.setClock(hour, minute)
            day.run(seconds: 300)
        }
        #expect(day.status.planName == nil)
        #expect(day.status.fault == nil)

        let sequence = day.planEvents.map { "\($0.code):\($0.parameter)" }
        #expect(sequence == ["131:1", "131:2", "210:1", "131:0", "210:0", "131:1", "131:2", "131:0"], "\(day.planEvents)")
        #expect(day.planEvents.allSatisfy { $0.safe }, "every change at a safe point: \(day.planEvents)")
        // Each change the schedule made came after its switch time and within three minutes (it
        // waits for a stage rest only); the 3rd and 4th are the override's and its release's.
        let changes = day.planEvents.filter { $0.code == 131 }.map(\.time.secondOfDay)
        let due = [0: 6 * 3600 + 1800, 1: 8 * 3600 + 1800, 4: 18 * 3600 + 1800, 5: 21 * 3600]
        for (index, switchTime) in due where changes.indices.contains(index) {
            let happened = changes[index]
            #expect(
                happened >= switchTime && happened < switchTime + 180,
                "change \(index) at \(LocalDateTime.timeOfDay(happened)), due \(LocalDateTime.timeOfDay(switchTime))")
        }
    }

    @Test func aWallClockStepAppliesTheNewTimeAtTheNextSafePoint() throws {
        let day = try Day()
        day.setClock(8, 20)
        day.run(seconds: 180)
        #expect(day.status.planName == "weekday_peak")
        // Forward across 08:30: off_peak; back to 07:00: weekday_peak again.
        day.setClock(8, 40)
        day.run(seconds: 180)
        #expect(day.status.planName == "off_peak")
        day.setClock(7, 0)
        day.run(seconds: 180)
        #expect(day.status.planName == "weekday_peak")
        #expect(day.planEvents.map { "\($0.code):\($0.parameter)" } == ["131:1", "131:2", "131:1"])
        #expect(day.planEvents.allSatisfy { $0.safe }, "\(day.planEvents)")
        #expect(day.status.fault == nil)
    }

    /// A reload that renames a plan: until the driver is given the reloaded schedule, the old
    /// schedule's choice names a plan the junction lacks; it is refused, counted and not posted again
    /// every second; the reloaded schedule's choice is then posted and runs.
    @Test func aChoiceRefusedAfterAReloadIsCountedAndTheReloadedScheduleRuns() throws {
        let day = try Day()
        let renamed = try day.reloadWithWeekdayPeakRenamed()

        // 06:30 under the old schedule: weekday_peak, which the running junction no longer has.
        day.setClock(6, 29)
        day.run(seconds: 120)
        let refused = day.driver.poll()
        #expect(refused.refusals == 1)
        #expect(refused.lastRefusal == "plan weekday_peak: no plan named weekday_peak")
        #expect(day.status.planName == nil)

        day.driver.replace(try #require(renamed.schedule))
        day.run(seconds: 180)
        #expect(day.status.planName == "peak")
        #expect(day.driver.poll().refusals == 1)
        #expect(day.status.fault == nil)
    }

    /// A choice whose answer other requests push out of the mailbox before the driver looks is
    /// posted again, so a refusal is still counted; before, the driver waited for that answer forever.
    @Test func aChoiceWhoseAnswerWasLostIsPostedAgain() throws {
        let day = try Day()
        _ = try day.reloadWithWeekdayPeakRenamed()

        // 06:30 under the old schedule: the driver posts weekday_peak, which the junction lacks, and
        // before its next look three mailboxes' worth of calls push the answer out.
        day.setClock(6, 30)
        day.driver.poll()
        for _ in 0..<3 {
            while day.engine.mailbox.post(.forceCall(detector: 0)) != nil {}
            day.tick += 1
            day.engine.tick(day.tick)
        }
        day.run(seconds: 3)
        let outlook = day.driver.poll()
        #expect(outlook.refusals == 1)
        #expect(outlook.lastRefusal == "plan weekday_peak: no plan named weekday_peak")
        #expect(day.status.fault == nil)
    }
}
