import Foundation
import JunctionConfig
import SignalCore
import Testing

/// `[schedule]`: a full section, the Cirebon example and the shipped Indonesian calendar, and
/// each refusal named by its field and line.
@Suite struct ScheduleConfigTests {
    static let section = """
        [schedule]
        time_zone = "+07:00"

        [schedule.week]
        monday = "weekday"
        tuesday = "weekday"
        wednesday = "weekday"
        thursday = "weekday"
        friday = "weekday"
        saturday = "weekend"
        sunday = "weekend"

        [[schedule.day_plans]]
        name = "weekday"
        switches = [
            { at = 00:00:00, plan = "actuated" },
            { at = 06:30:00, plan = "fixed" },
            { at = 19:00:00, plan = "actuated" },
        ]

        [[schedule.day_plans]]
        name = "weekend"
        switches = [{ at = 00:00:00, plan = "actuated" }]

        [[schedule.exceptions]]
        date = 2027-08-17
        day_plan = "weekend"
        name = "Hari Kemerdekaan"
        """

    static func load(_ text: String, directory: String? = nil) throws(ConfigError) -> JunctionConfiguration {
        try JunctionConfigLoader().load(source: ConfigFixture.appending(text), name: "test.toml", directory: directory)
    }

    static func expectRefused(
        _ old: String, _ new: String, field: String, lineOf marker: String? = nil, message: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let text = ConfigFixture.appending(ConfigFixture.replacing(old, with: new, in: section))
        let problems = ConfigFixture.problems(text)
        let found = problems.first { $0.field == field }
        #expect(found != nil, "expected a problem at \(field), got \(problems)", sourceLocation: sourceLocation)
        if let marker {
            #expect(found?.line == ConfigFixture.line(containing: marker, in: text), "\(problems)", sourceLocation: sourceLocation)
        }
        if let message {
            #expect(found?.message.contains(message) == true, "\(problems)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFullSectionLoads() throws {
        let schedule = try #require(try Self.load(Self.section).schedule)
        #expect(schedule.utcOffsetSeconds == 7 * 3600)
        #expect(schedule.dayPlans.map(\.name) == ["weekday", "weekend"])
        #expect(schedule.dayPlans[0].switches.map(\.selection) == [.actuated, .fixedTime("fixed"), .actuated])
        let independence = LocalDate(year: 2027, month: 8, day: 17)
        #expect(schedule.dayPlan(on: independence).name == "weekend")
        #expect(schedule.dayPlan(on: independence.adding(days: 1)).name == "weekday")
        #expect(try Self.load("").schedule == nil)
    }

    @Test func timeZonesByOffsetOrIndonesianName() throws {
        for (zone, offset) in [("Asia/Jakarta", 25_200), ("Asia/Jayapura", 32_400), ("-03:30", -12_600), ("UTC", 0)] {
            let text = ConfigFixture.replacing("time_zone = \"+07:00\"", with: "time_zone = \"\(zone)\"", in: Self.section)
            #expect(try Self.load(text).schedule?.utcOffsetSeconds == offset)
        }
        Self.expectRefused(
            "time_zone = \"+07:00\"", "time_zone = \"Europe/Berlin\"", field: "schedule.time_zone",
            lineOf: "Europe/Berlin", message: "summer time")
        Self.expectRefused("time_zone = \"+07:00\"\n", "", field: "schedule.time_zone")
    }

    @Test func refusesUnknownPlansAndDayPlans() {
        Self.expectRefused(
            "plan = \"fixed\"", "plan = \"nosuch\"", field: "schedule.day_plans.weekday.switches.#2.plan",
            lineOf: "nosuch", message: "the plans are fixed, actuated, adaptive")
        Self.expectRefused(
            "{ at = 06:30:00, plan = \"fixed\" }", "{ at = 06:30:00, plan = \"adaptive\" }",
            field: "schedule.day_plans.weekday.switches.#2.plan", lineOf: "adaptive", message: "[adaptive] strategy")
        Self.expectRefused(
            "saturday = \"weekend\"", "saturday = \"market\"", field: "schedule.week.saturday", lineOf: "market")
        Self.expectRefused(
            "day_plan = \"weekend\"", "day_plan = \"parade\"", field: "schedule.exceptions.#1",
            lineOf: "[[schedule.exceptions]]")
    }

    @Test func refusesUnsortedTimesEmptyDayPlansAndMissingDays() {
        Self.expectRefused(
            "{ at = 19:00:00, plan = \"actuated\" }", "{ at = 06:00:00, plan = \"actuated\" }",
            field: "schedule.day_plans.weekday.switches.#3.at", lineOf: "at = 06:00:00", message: "in order")
        Self.expectRefused(
            "switches = [{ at = 00:00:00, plan = \"actuated\" }]", "switches = []",
            field: "schedule.day_plans.weekend.switches", lineOf: "switches = []", message: "selects no plan")
        Self.expectRefused("sunday = \"weekend\"\n", "", field: "schedule.week.sunday")
        Self.expectRefused(
            "{ at = 06:30:00, plan = \"fixed\" }", "{ at = \"06:30\", plan = \"fixed\" }",
            field: "schedule.day_plans.weekday.switches.#2.at", message: "local time")
        Self.expectRefused("date = 2027-08-17", "date = 2027-08-17\nday = 3", field: "schedule.exceptions.#1.day")
        Self.expectRefused("[schedule.week]", "[schedule.week]\nholiday = \"weekend\"", field: "schedule.week.holiday")
    }

    @Test func aCalendarFileNeedsAFileToBeIncludedFrom() {
        let text = ConfigFixture.appending(
            ConfigFixture.replacing("time_zone = \"+07:00\"", with: "time_zone = \"+07:00\"\ncalendar = \"x.toml\"", in: Self.section))
        #expect(ConfigFixture.problems(text).contains { $0.field == "schedule.calendar" })
    }

    @Test func theIndonesianCalendarLoadsWithItsDayPlans() throws {
        let calendar = ExampleFiles.directory.deletingLastPathComponent().appendingPathComponent("calendars/indonesia-2027.toml")
        var text = ConfigFixture.replacing(
            "time_zone = \"+07:00\"", with: "time_zone = \"Asia/Jakarta\"\ncalendar = \"\(calendar.path)\"", in: Self.section)
        // The calendar names the day plans "holiday" and "event"; the inline exception stays too,
        // which the calendar repeats: refused as a second entry for the date.
        text += """

            [[schedule.day_plans]]
            name = "holiday"
            switches = [{ at = 00:00:00, plan = "actuated" }]

            [[schedule.day_plans]]
            name = "event"
            switches = [{ at = 00:00:00, plan = "actuated" }, { at = 16:00:00, plan = "fixed" }]
            """
        do {
            _ = try Self.load(text, directory: "/")
            Issue.record("a date listed twice loaded")
        } catch {
            #expect(error.problems.contains { $0.message.contains("2027-08-17 is already an exception day") }, "\(error)")
        }
        text = text.replacingOccurrences(of: "date = 2027-08-17\n", with: "date = 2027-08-18\n")
        let schedule = try #require(try Self.load(text, directory: "/").schedule)
        #expect(schedule.exceptions.count == 18)
        #expect(schedule.dayPlan(on: LocalDate(year: 2027, month: 8, day: 17)).name == "holiday")
        #expect(schedule.dayPlan(on: LocalDate(year: 2027, month: 7, day: 10)).name == "event")
        #expect(schedule.exception(on: LocalDate(year: 2027, month: 6, day: 1))?.name == "Hari Lahir Pancasila")
    }

    /// The junction text (this section with `calendar = "city.toml"`) and the problem at
    /// `schedule.calendar` loading it from a directory that holds `calendar` as city.toml.
    static func loadingCalendar(_ calendar: Data) throws -> (text: String, problem: ConfigProblem?) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schedule-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try calendar.write(to: directory.appendingPathComponent("city.toml"))
        let text = ConfigFixture.appending(
            ConfigFixture.replacing("time_zone = \"+07:00\"", with: "time_zone = \"+07:00\"\ncalendar = \"city.toml\"", in: section))
        try text.write(to: directory.appendingPathComponent("junction.toml"), atomically: true, encoding: .utf8)
        do {
            _ = try JunctionConfigLoader().load(path: directory.appendingPathComponent("junction.toml").path)
            Issue.record("the junction loaded with its calendar")
            return (text, nil)
        } catch {
            return (text, error.problems.first { $0.field == "schedule.calendar" })
        }
    }

    @Test func calendarProblemsNameTheCalendarsLine() throws {
        let (text, problem) = try Self.loadingCalendar(
            Data("[[exceptions]]\ndate = 2027-01-01\nday_plan = \"weekend\"\n\n[[exceptions]]\ndate = \"soon\"\nday_plan = \"weekend\"\n".utf8))
        #expect(problem?.message.contains("calendar city.toml line 6") == true, "\(String(describing: problem))")
        #expect(problem?.line == ConfigFixture.line(containing: "calendar = ", in: text))
    }

    /// An empty path was reported as "calendar : is a directory" (the junction's own directory).
    @Test func anEmptyCalendarPathIsSaidToBeEmpty() {
        let text = ConfigFixture.appending(
            ConfigFixture.replacing("time_zone = \"+07:00\"", with: "time_zone = \"+07:00\"\ncalendar = \"\"", in: Self.section))
        let problems = ConfigFixture.problems(text)
        #expect(problems.count == 1 && problems.first?.field == "schedule.calendar", "\(problems)")
        #expect(problems.first?.message == "calendar must name a file; it is empty")
    }

    /// A calendar saved in Latin-1 is refused, not read as a calendar without holidays.
    @Test func aCalendarThatIsNotUTF8IsRefused() throws {
        // "Tahun Baru é" with é as Latin-1's single byte 0xE9.
        let latin1 = Data("[[exceptions]]\ndate = 2027-01-01\nday_plan = \"weekend\"\nname = \"Tahun Baru ".utf8)
            + Data([0xE9]) + Data("\"\n".utf8)
        let (_, problem) = try Self.loadingCalendar(latin1)
        #expect(problem?.kind == .unreadable, "\(String(describing: problem))")
        #expect(problem?.message.contains("calendar city.toml: the file is not UTF-8") == true, "\(String(describing: problem))")
    }

    @Test func cirebonHasAWeekProgram() throws {
        let configuration = try ExampleFiles.load("cirebon-4arm.toml")
        let schedule = try #require(configuration.schedule)
        #expect(schedule.utcOffsetSeconds == 7 * 3600)
        // Monday 2027-08-16, 07:00 WIB: the morning peak; Tuesday 17 August is Independence Day.
        let monday = LocalDateTime(date: LocalDate(year: 2027, month: 8, day: 16), secondOfDay: 7 * 3600)
        #expect(schedule.selection(at: monday).selection == .fixedTime("weekday_peak"))
        let holiday = LocalDateTime(date: LocalDate(year: 2027, month: 8, day: 17), secondOfDay: 7 * 3600)
        #expect(schedule.selection(at: holiday).selection == .actuated)
        #expect(try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").schedule == schedule)
    }
}
