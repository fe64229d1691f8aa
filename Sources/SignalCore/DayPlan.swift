/// One day's plan changes: at each listed time of day the schedule selects a plan, which runs
/// until the next listed time. Before the day's first change the previous day's last selection
/// runs on, so a night plan entered at 22:00 holds across midnight.
///
/// `switches` are sorted by strictly increasing time and not empty (`TimeOfDaySchedule`'s
/// initialiser checks it; the config reader reports it with lines).
public struct DayPlan: Sendable, Equatable {
    /// One change of plan at a time of day.
    public struct Switch: Sendable, Equatable {
        /// Seconds since local midnight, 0–86 399.
        public var secondOfDay: Int
        public var selection: PlanSelection

        public init(secondOfDay: Int, selection: PlanSelection) {
            self.secondOfDay = secondOfDay
            self.selection = selection
        }
    }

    public var name: String
    public var switches: [Switch]

    public init(name: String, switches: [Switch]) {
        self.name = name
        self.switches = switches
    }

    /// The last switch at or before `secondOfDay`, or nil before the first one.
    func lastSwitch(atOrBefore secondOfDay: Int) -> Switch? {
        switches.last { $0.secondOfDay <= secondOfDay }
    }
}
