import SignalCore
import Testing

/// The time-of-day schedule alone: calendar arithmetic, the week program, exception days, the
/// carry-over across midnight, the next change, and the schedules it refuses to build.
@Suite struct TimeOfDayScheduleTests {
    static let wib = 7 * 3600

    static func at(_ hour: Int, _ minute: Int = 0) -> Int { hour * 3600 + minute * 60 }

    /// Weekdays: night actuated until 06:00, peak to 09:00, adaptive by day, night from 22:00.
    /// Sundays and holidays: actuated until 10:00, then the day plan's fixed plan to 20:00.
    static func cityProgram(exceptions: [TimeOfDaySchedule.Exception] = []) throws -> TimeOfDaySchedule {
        let weekday = DayPlan(
            name: "weekday",
            switches: [
                .init(secondOfDay: at(6), selection: .fixedTime("peak")),
                .init(secondOfDay: at(9), selection: .adaptive),
                .init(secondOfDay: at(22), selection: .actuated),
            ])
        let holiday = DayPlan(
            name: "holiday",
            switches: [
                .init(secondOfDay: 0, selection: .actuated),
                .init(secondOfDay: at(10), selection: .fixedTime("day")),
                .init(secondOfDay: at(20), selection: .actuated),
            ])
        return try TimeOfDaySchedule(
            dayPlans: [weekday, holiday],
            week: ["weekday", "weekday", "weekday", "weekday", "weekday", "weekday", "holiday"],
            exceptions: exceptions, utcOffsetSeconds: wib)
    }

    static func time(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> LocalDateTime {
        LocalDateTime(date: LocalDate(year: year, month: month, day: day), secondOfDay: at(hour, minute))
    }

    @Test func calendarArithmeticMatchesKnownDates() {
        #expect(LocalDate(dayNumber: 0) == LocalDate(year: 1970, month: 1, day: 1))
        #expect(LocalDate(year: 1970, month: 1, day: 1).weekday == .thursday)
        #expect(LocalDate(year: 2027, month: 8, day: 17).weekday == .tuesday)
        #expect(LocalDate(year: 2028, month: 2, day: 29).isValid)
        #expect(!LocalDate(year: 2027, month: 2, day: 29).isValid)
        #expect(LocalDate(year: 2027, month: 12, day: 31).adding(days: 1) == LocalDate(year: 2028, month: 1, day: 1))
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: day).dayNumber == day)
        }
    }

    @Test func wallClockInstantBecomesCirebonLocalTime() {
        // 2027-08-16 17:00:00 UTC is midnight of Independence Day in Cirebon (UTC+7).
        let instant = LocalDate(year: 2027, month: 8, day: 16).dayNumber * 86_400 + Self.at(17)
        let local = LocalDateTime(secondsSinceEpoch: instant, utcOffsetSeconds: Self.wib)
        #expect(local == Self.time(2027, 8, 17, 0))
        #expect(LocalDateTime(secondsSinceEpoch: -1, utcOffsetSeconds: 0) == Self.time(1969, 12, 31, 23, 59).adding(59))
    }

    @Test func weekProgramSelectsByTimeOfDay() throws {
        let schedule = try Self.cityProgram()
        // 2027-08-16 is a Monday.
        #expect(schedule.selection(at: Self.time(2027, 8, 16, 7)).selection == .fixedTime("peak"))
        #expect(schedule.selection(at: Self.time(2027, 8, 16, 9)).selection == .adaptive)
        #expect(schedule.selection(at: Self.time(2027, 8, 16, 8, 59)).selection == .fixedTime("peak"))
        let noon = schedule.selection(at: Self.time(2027, 8, 16, 12))
        #expect(noon.dayPlan == "weekday")
        #expect(noon.since == Self.time(2027, 8, 16, 9))
        #expect(noon.next?.at == Self.time(2027, 8, 16, 22))
        #expect(noon.next?.selection == .actuated)
        // Sunday runs the holiday plan.
        #expect(schedule.selection(at: Self.time(2027, 8, 22, 12)).selection == .fixedTime("day"))
    }

    @Test func holidayReplacesTheWeekProgram() throws {
        let schedule = try Self.cityProgram(exceptions: [
            .init(date: LocalDate(year: 2027, month: 8, day: 17), dayPlan: "holiday", name: "Hari Kemerdekaan")
        ])
        let tuesday = Self.time(2027, 8, 17, 7)
        #expect(schedule.selection(at: tuesday).selection == .actuated)
        #expect(schedule.selection(at: tuesday).dayPlan == "holiday")
        #expect(schedule.selection(at: tuesday).next?.at == Self.time(2027, 8, 17, 10))
        #expect(schedule.exception(on: tuesday.date)?.name == "Hari Kemerdekaan")
        // The day after is a weekday again: before 06:00 the holiday's last switch runs on.
        let wednesdayDawn = schedule.selection(at: Self.time(2027, 8, 18, 5))
        #expect(wednesdayDawn.selection == .actuated)
        #expect(wednesdayDawn.dayPlan == "holiday")
        #expect(wednesdayDawn.next?.at == Self.time(2027, 8, 18, 6))
    }

    @Test func lastSwitchHoldsAcrossMidnight() throws {
        let schedule = try Self.cityProgram()
        // Monday 23:00 → Tuesday 05:59: Monday's 22:00 actuated holds; the next change is 06:00.
        let late = schedule.selection(at: Self.time(2027, 8, 16, 23))
        #expect(late.selection == .actuated)
        #expect(late.next?.at == Self.time(2027, 8, 17, 6))
        let dawn = schedule.selection(at: Self.time(2027, 8, 17, 5, 59))
        #expect(dawn.selection == .actuated)
        #expect(dawn.since == Self.time(2027, 8, 16, 22))
        // Saturday 22:00 actuated runs into Sunday's 00:00 actuated: no change at midnight, so the
        // next change is Sunday 10:00.
        #expect(schedule.selection(at: Self.time(2027, 8, 21, 23)).next?.at == Self.time(2027, 8, 22, 10))
    }

    @Test func aWallClockStepMovesTheAnswerBothWays() throws {
        let schedule = try Self.cityProgram()
        let before = LocalDate(year: 2027, month: 8, day: 16).dayNumber * 86_400 + Self.at(8, 50) - Self.wib
        #expect(schedule.selection(at: schedule.localTime(secondsSinceEpoch: before)).selection == .fixedTime("peak"))
        // A step forward of 20 minutes crosses 09:00; a step back returns before it.
        #expect(schedule.selection(at: schedule.localTime(secondsSinceEpoch: before + 1200)).selection == .adaptive)
        #expect(schedule.selection(at: schedule.localTime(secondsSinceEpoch: before - 3 * 3600)).selection == .actuated)
    }

    @Test func refusesSchedulesWithoutAnAnswer() {
        let plan = DayPlan(name: "d", switches: [.init(secondOfDay: 0, selection: .actuated)])
        let week = Array(repeating: "d", count: 7)
        #expect(throws: TimeOfDaySchedule.Problem.emptyDayPlan("e")) {
            try TimeOfDaySchedule(dayPlans: [plan, DayPlan(name: "e", switches: [])], week: week, utcOffsetSeconds: 0)
        }
        let unsorted = DayPlan(
            name: "u",
            switches: [.init(secondOfDay: 60, selection: .actuated), .init(secondOfDay: 60, selection: .adaptive)])
        #expect(throws: TimeOfDaySchedule.Problem.unsortedSwitches("u")) {
            try TimeOfDaySchedule(dayPlans: [plan, unsorted], week: week, utcOffsetSeconds: 0)
        }
        #expect(throws: TimeOfDaySchedule.Problem.weekIncomplete) {
            try TimeOfDaySchedule(dayPlans: [plan], week: ["d"], utcOffsetSeconds: 0)
        }
        #expect(throws: TimeOfDaySchedule.Problem.unknownDayPlan("x")) {
            try TimeOfDaySchedule(
                dayPlans: [plan], week: week,
                exceptions: [.init(date: LocalDate(year: 2027, month: 1, day: 1), dayPlan: "x")], utcOffsetSeconds: 0)
        }
    }
}

extension LocalDateTime {
    fileprivate func adding(_ seconds: Int) -> LocalDateTime {
        LocalDateTime(secondsSinceEpoch: localSeconds + seconds, utcOffsetSeconds: 0)
    }
}
