import SignalCore
import TOML

/// `[schedule]`: the time-of-day schedule (docs/config.md). Day plans (`[[schedule.day_plans]]`,
/// each a list of switches `{ at = 06:30:00, plan = "peak" }`), a week program (`[schedule.week]`,
/// one day plan per weekday) and exception days (`[[schedule.exceptions]]`, and those of a
/// `calendar` file the city keeps), in the junction's `time_zone`.
///
/// Read in two steps: `read` checks the section's own shape (times in order, the seven days, dates),
/// `resolve` ties its plan names to the assembled junction's `[[plans]]` and `[adaptive]`.
enum ScheduleSection {
    static let largestDayPlanCount = 32
    /// A switch every half hour is far more than any city's day plan.
    static let largestSwitchCount = 48
    /// Two years of daily exceptions: enough for a calendar with every holiday and event.
    static let largestExceptionCount = 730
    /// Fixed-offset zones known by name: Indonesia's (which keep no summer time) and UTC. Any
    /// other zone is written as its offset; zones with summer time are not supported.
    static let zones: KeyValuePairs<String, Int> = [
        "UTC": 0, "Asia/Jakarta": 7 * 3600, "Asia/Pontianak": 7 * 3600, "Asia/Makassar": 8 * 3600,
        "Asia/Jayapura": 9 * 3600,
    ]

    /// What the section said, by name, before the junction exists.
    struct Draft {
        struct Switch {
            var secondOfDay: Int
            var plan: String
            var path: [JunctionProblem.PathComponent]
        }

        struct DayPlanEntry {
            var name: String
            var switches: [Switch]
        }

        /// An exception day and where it was written: its path, and for a calendar file the
        /// prefix that names the file and line (the path is then the `calendar` key).
        struct ExceptionEntry {
            var exception: TimeOfDaySchedule.Exception
            var path: [JunctionProblem.PathComponent]
            var origin: String
        }

        var utcOffsetSeconds: Int
        var dayPlans: [DayPlanEntry]
        /// Monday first; nil for a day the file left out (reported).
        var week: [String?]
        var exceptions: [ExceptionEntry]
    }

    /// Reads the section; `directory` is where a relative `calendar` path is found (nil: a
    /// junction loaded from text, which may not include files).
    static func read(_ reader: TableReader?, directory: String?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        let offset = timeZone(reader) ?? 0
        var dayPlans: [Draft.DayPlanEntry] = []
        let entries = reader.entries("day_plans", limit: largestDayPlanCount)
        if entries.isEmpty && !reader.has("day_plans") {
            reader.report(.missingKey, "day_plans", "[schedule] needs at least one [[schedule.day_plans]] entry")
        }
        var firstUse: [String: Int] = [:]
        for (index, entry) in entries {
            let plan = readDayPlan(entry)
            if let first = firstUse[plan.name] {
                let line = reader.log.line(of: reader.path + [.key("day_plans"), .entry(name: "", index: first)])
                entry.report(
                    .junction(.duplicateName), "name",
                    "day plan name \"\(plan.name)\" is used twice" + (line.map { " (first on line \($0))" } ?? ""))
                continue
            }
            firstUse[plan.name] = index
            dayPlans.append(plan)
        }
        let week = readWeek(reader)
        var exceptions = reader.entries("exceptions", limit: largestExceptionCount).compactMap { _, entry in
            readException(entry).map { Draft.ExceptionEntry(exception: $0, path: entry.path, origin: "") }
        }
        if let calendar = reader.string("calendar") {
            exceptions += readCalendar(calendar, directory: directory, reader: reader)
        }
        reader.rejectUnknownKeys()
        draft.schedule = Draft(utcOffsetSeconds: offset, dayPlans: dayPlans, week: week, exceptions: exceptions)
    }

    /// The schedule with its plan names checked against `junction` and `adaptive`; nil (reported)
    /// when a name refers to nothing.
    static func resolve(
        _ draft: Draft, junction: Junction, adaptive: AdaptiveSettings, log: ProblemLog
    ) -> TimeOfDaySchedule? {
        let start = log.problems.count
        let known = junction.plans.map(\.name) + ["actuated", "adaptive"]
        for plan in draft.dayPlans {
            for change in plan.switches {
                switch PlanSelection(named: change.plan) {
                case .fixedTime(let name) where !junction.plans.contains(where: { $0.name == name }):
                    log.report(
                        .unknownName, change.path + [.key("plan")],
                        "\"\(name)\" is not a plan; the plans are \(known.joined(separator: ", "))")
                case .adaptive where adaptive.strategy == .actuated:
                    log.report(
                        .invalidValue, change.path + [.key("plan")],
                        "plan \"adaptive\" needs an [adaptive] strategy (saturation or advance)")
                default:
                    break
                }
            }
        }
        let names = Set(draft.dayPlans.map(\.name))
        for (day, name) in zip(Weekday.allCases, draft.week) {
            guard let name, !names.contains(name) else { continue }
            log.report(.unknownName, [.key("schedule"), .key("week"), .key(day.name)], "\"\(name)\" is not a day plan")
        }
        var firstOfDate: [LocalDate: Int] = [:]
        for (index, entry) in draft.exceptions.enumerated() {
            let date = entry.exception.date
            if !names.contains(entry.exception.dayPlan) {
                log.report(.unknownName, entry.path, entry.origin + "\"\(entry.exception.dayPlan)\" is not a day plan")
            }
            if let first = firstOfDate[date] {
                let firstEntry = draft.exceptions[first]
                let earlier = firstEntry.origin.isEmpty ? "" : " (\(firstEntry.origin.dropLast(2)))"
                log.report(.invalidValue, entry.path, entry.origin + "\(date) is already an exception day\(earlier)")
            }
            firstOfDate[date] = firstOfDate[date] ?? index
        }
        guard log.problems.count == start, draft.week.allSatisfy({ $0 != nil }) else { return nil }
        do {
            return try TimeOfDaySchedule(
                dayPlans: draft.dayPlans.map { plan in
                    DayPlan(
                        name: plan.name,
                        switches: plan.switches.map {
                            DayPlan.Switch(secondOfDay: $0.secondOfDay, selection: PlanSelection(named: $0.plan))
                        })
                },
                week: draft.week.compactMap { $0 }, exceptions: draft.exceptions.map(\.exception),
                utcOffsetSeconds: draft.utcOffsetSeconds)
        } catch {
            // `read` reports every problem the schedule's initialiser checks; this is the backstop.
            log.report(.invalidValue, [.key("schedule")], error.description)
            return nil
        }
    }

    // MARK: - Parts

    /// `time_zone`: `+07:00`, `-03:30`, `UTC` or a name from `zones`; nil when absent (reported: the
    /// schedule's local time must be stated) or unknown.
    private static func timeZone(_ reader: TableReader) -> Int? {
        guard let text = reader.string("time_zone", required: true) else { return nil }
        if let known = zones.first(where: { $0.key == text }) { return known.value }
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let signed = bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-")
        if bytes.count == 6, signed, bytes[3] == UInt8(ascii: ":"),
            let hours = digits(1..<3), let minutes = digits(4..<6), hours <= 14, minutes < 60
        {
            return (bytes[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let names = zones.map(\.key).joined(separator: ", ")
        reader.report(
            .invalidValue, "time_zone",
            "time_zone must be a UTC offset such as +07:00 (Cirebon) or one of \(names); "
                + "zones with summer time are not supported")
        return nil
    }

    private static func readDayPlan(_ entry: TableReader) -> Draft.DayPlanEntry {
        let name = entry.readName()
        var switches: [Draft.Switch] = []
        let list = entry.entries("switches", limit: largestSwitchCount)
        if list.isEmpty {
            entry.report(
                .missingKey, "switches",
                "day plan \(name) selects no plan; give it switches such as { at = 06:00:00, plan = \"actuated\" }")
        }
        for (_, item) in list {
            let at = localTime(item, "at")
            let plan = item.name("plan", required: true)
            item.rejectUnknownKeys()
            guard let at, let plan else { continue }
            if let last = switches.last, at <= last.secondOfDay {
                item.report(
                    .invalidValue, "at",
                    "\(LocalDateTime.timeOfDay(at)) does not come after \(LocalDateTime.timeOfDay(last.secondOfDay)); "
                        + "list a day plan's times in order, each once")
                continue
            }
            switches.append(Draft.Switch(secondOfDay: at, plan: plan, path: item.path))
        }
        entry.rejectUnknownKeys()
        return Draft.DayPlanEntry(name: name, switches: switches)
    }

    /// A TOML local time (`06:30:00`) as seconds since midnight; reported and nil otherwise.
    private static func localTime(_ reader: TableReader, _ key: String) -> Int? {
        guard let value = reader.value(key) else {
            reader.report(.missingKey, key, "missing \(key), a local time such as 06:30:00")
            return nil
        }
        guard let time = value.dateTime?.time, value.dateTime?.date == nil else {
            reader.report(.wrongType, key, "expected a local time such as 06:30:00, found \(value.type)")
            return nil
        }
        return time.hour * 3600 + time.minute * 60 + time.second
    }

    /// `[schedule.week]`: a day plan for each of the seven days, Monday first.
    private static func readWeek(_ reader: TableReader) -> [String?] {
        guard let table = reader.table("week", required: true) else { return Array(repeating: nil, count: 7) }
        let week = TableReader(table: table, path: reader.path + [.key("week")], log: reader.log)
        let days = Weekday.allCases.map { week.name($0.name, required: true) }
        week.rejectUnknownKeys()
        return days
    }

    /// One exception: `date` (a TOML local date), `day_plan` and an optional `name`.
    private static func readException(_ entry: TableReader) -> TimeOfDaySchedule.Exception? {
        let value = entry.value("date")
        let dayPlan = entry.name("day_plan", required: true)
        let name = entry.string("name") ?? ""
        entry.rejectUnknownKeys()
        guard let value else {
            entry.report(.missingKey, "date", "missing date, a local date such as 2027-08-17")
            return nil
        }
        guard let date = value.dateTime?.date, value.dateTime?.time == nil else {
            entry.report(.wrongType, "date", "expected a local date such as 2027-08-17, found \(value.type)")
            return nil
        }
        guard let dayPlan else { return nil }
        return TimeOfDaySchedule.Exception(
            date: LocalDate(year: date.year, month: date.month, day: date.day), dayPlan: dayPlan, name: name)
    }

    /// The `[[exceptions]]` of a calendar file. Its problems are reported at the `calendar` key, each
    /// message naming the calendar's file and line.
    private static func readCalendar(
        _ calendar: String, directory: String?, reader: TableReader
    ) -> [Draft.ExceptionEntry] {
        guard !calendar.isEmpty else {
            reader.report(.invalidValue, "calendar", "calendar must name a file; it is empty")
            return []
        }
        guard let directory else {
            reader.report(
                .invalidValue, "calendar", "a calendar file can only be included by a junction file read from disk")
            return []
        }
        let path = calendar.hasPrefix("/") ? calendar : directory + "/" + calendar
        let place = reader.path + [.key("calendar")]
        let fail = { (message: String) in reader.report(.unreadable, "calendar", "calendar \(calendar): \(message)") }
        let source: String
        do {
            let bytes = try JunctionFile.contents(of: path, limit: JunctionConfigLoader.largestFileBytes)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                fail("the file is not UTF-8")
                return []
            }
            source = text
        } catch {
            fail(error.message)
            return []
        }
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(source, limits: JunctionConfigLoader.limits)
        } catch {
            fail("line \(error.position.line): \(error.message)")
            return []
        }
        let calendarLog = ProblemLog(document: root)
        let top = TableReader(table: root, path: [], log: calendarLog)
        _ = top.string("description")
        var found: [Draft.ExceptionEntry] = []
        for (_, entry) in top.entries("exceptions", limit: largestExceptionCount) {
            guard let exception = readException(entry) else { continue }
            let line = calendarLog.line(of: entry.path + [.key("date")]).map { " line \($0)" } ?? ""
            let origin = "calendar \(calendar)\(line): "
            found.append(Draft.ExceptionEntry(exception: exception, path: place, origin: origin))
        }
        top.rejectUnknownKeys()
        for problem in calendarLog.problems {
            let line = problem.line.map { " line \($0)" } ?? ""
            reader.log.report(problem.kind, place, "calendar \(calendar)\(line): \(problem.message)")
        }
        return found
    }
}
