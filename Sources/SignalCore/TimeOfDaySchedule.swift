/// The time-of-day schedule: day plans, a week program that names the day plan of each weekday,
/// and exception days (public holidays, city events) that replace the week program on a date.
///
/// Pure and deterministic: it answers for a local date and time handed to it and never reads a
/// clock, so a wall-clock step moves the answer and nothing else. Guarantees, once built:
/// every weekday and exception names an existing day plan, every day plan has at least one
/// switch in strictly increasing time, so `selection(at:)` always has an answer.
public struct TimeOfDaySchedule: Sendable, Equatable {
    /// Why a schedule cannot be built; the config reader reports the same with lines.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case emptyDayPlan(String)
        case unsortedSwitches(String)
        case unknownDayPlan(String)
        case weekIncomplete

        public var description: String {
            switch self {
            case .emptyDayPlan(let name): return "day plan \(name) selects no plan"
            case .unsortedSwitches(let name): return "day plan \(name) lists its times out of order or twice"
            case .unknownDayPlan(let name): return "no day plan named \(name)"
            case .weekIncomplete: return "the week program needs a day plan for each of the seven days"
            }
        }
    }

    /// An exception day: its date, the day plan it runs and why (for logs and status).
    public struct Exception: Sendable, Equatable {
        public var date: LocalDate
        public var dayPlan: String
        /// What the day is, e.g. "Hari Kemerdekaan"; may be empty.
        public var name: String

        public init(date: LocalDate, dayPlan: String, name: String = "") {
            self.date = date
            self.dayPlan = dayPlan
            self.name = name
        }
    }

    /// What the schedule selects at one moment, and when that changes.
    public struct Decision: Sendable, Equatable {
        public var selection: PlanSelection
        /// The day plan whose switch selected it (the previous day's before a day's first switch).
        public var dayPlan: String
        /// The local time of the switch that selected it.
        public var since: LocalDateTime
        /// The next switch that selects something else, within a week; nil when none does.
        public var next: (at: LocalDateTime, selection: PlanSelection)?

        public static func == (left: Decision, right: Decision) -> Bool {
            left.selection == right.selection && left.dayPlan == right.dayPlan && left.since == right.since
                && left.next?.at == right.next?.at && left.next?.selection == right.next?.selection
        }
    }

    public let dayPlans: [DayPlan]
    /// The index into `dayPlans` of each weekday's plan, Monday first.
    public let week: [Int]
    /// Date → index into `dayPlans`.
    private let exceptionPlans: [LocalDate: Int]
    public let exceptions: [Exception]
    /// Seconds east of UTC of the junction's local time (Cirebon: 25 200).
    public let utcOffsetSeconds: Int

    /// A schedule; `week` names seven day plans, Monday first. Throws the first problem found.
    public init(
        dayPlans: [DayPlan], week: [String], exceptions: [Exception] = [], utcOffsetSeconds: Int
    ) throws(Problem) {
        var index: [String: Int] = [:]
        for (position, plan) in dayPlans.enumerated() {
            guard !plan.switches.isEmpty else { throw .emptyDayPlan(plan.name) }
            guard zip(plan.switches, plan.switches.dropFirst()).allSatisfy({ $0.secondOfDay < $1.secondOfDay })
            else { throw .unsortedSwitches(plan.name) }
            if index[plan.name] == nil { index[plan.name] = position }
        }
        guard week.count == Weekday.allCases.count else { throw .weekIncomplete }
        var weekPlans: [Int] = []
        for name in week {
            guard let found = index[name] else { throw .unknownDayPlan(name) }
            weekPlans.append(found)
        }
        var exceptionPlans: [LocalDate: Int] = [:]
        for exception in exceptions {
            guard let found = index[exception.dayPlan] else { throw .unknownDayPlan(exception.dayPlan) }
            exceptionPlans[exception.date] = found
        }
        self.dayPlans = dayPlans
        self.week = weekPlans
        self.exceptionPlans = exceptionPlans
        self.exceptions = exceptions
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The local time of the instant `secondsSinceEpoch` (UTC) in the schedule's zone.
    public func localTime(secondsSinceEpoch: Int) -> LocalDateTime {
        LocalDateTime(secondsSinceEpoch: secondsSinceEpoch, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The day plan that runs on `date`: the exception's when the date has one, else the week program's.
    public func dayPlan(on date: LocalDate) -> DayPlan {
        dayPlans[exceptionPlans[date] ?? week[date.weekday.rawValue]]
    }

    /// The exception on `date`, if any.
    public func exception(on date: LocalDate) -> Exception? {
        exceptions.last { $0.date == date }
    }

    /// What runs at `time`, since when, and the next change.
    public func selection(at time: LocalDateTime) -> Decision {
        let (current, since) = switchInForce(at: time)
        var next: (LocalDateTime, PlanSelection)?
        // A week and a day covers every week program; exceptions only add changes.
        search: for offset in 0...7 {
            let date = time.date.adding(days: offset)
            for change in dayPlan(on: date).switches {
                let at = LocalDateTime(date: date, secondOfDay: change.secondOfDay)
                if at > time && change.selection != current.selection {
                    next = (at, change.selection)
                    break search
                }
            }
        }
        return Decision(selection: current.selection, dayPlan: since.plan, since: since.at, next: next)
    }

    /// The switch in force at `time`: today's last one at or before it, else the previous day's last.
    private func switchInForce(at time: LocalDateTime) -> (DayPlan.Switch, since: (plan: String, at: LocalDateTime)) {
        let today = dayPlan(on: time.date)
        if let change = today.lastSwitch(atOrBefore: time.secondOfDay) {
            return (change, (today.name, LocalDateTime(date: time.date, secondOfDay: change.secondOfDay)))
        }
        let yesterday = time.date.adding(days: -1)
        let previous = dayPlan(on: yesterday)
        let change = previous.switches[previous.switches.count - 1]
        return (change, (previous.name, LocalDateTime(date: yesterday, secondOfDay: change.secondOfDay)))
    }
}
