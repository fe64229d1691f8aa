/// A TOML date, time or date-time, as written: a local date (`2026-08-17`), a local time
/// (`07:30:00`), a local date-time, or an offset date-time (`2026-08-17T07:30:00+07:00`).
///
/// The fields are checked when parsed: the day exists in its month (leap years included), hours
/// are 0–23, minutes and seconds 0–59. No time zone arithmetic is done.
public struct TOMLDateTime: Sendable, Equatable, Hashable {
    /// A calendar date.
    public struct Date: Sendable, Equatable, Hashable {
        public var year: Int
        /// 1–12.
        public var month: Int
        /// 1–31, valid for the month.
        public var day: Int

        /// A date; the parser checks the fields, this initialiser does not.
        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }
    }

    /// A time of day.
    public struct Time: Sendable, Equatable, Hashable {
        /// 0–23.
        public var hour: Int
        /// 0–59.
        public var minute: Int
        /// 0–59.
        public var second: Int
        /// The fraction of the second in nanoseconds; digits past the ninth are dropped.
        public var nanosecond: Int

        /// A time; the parser checks the fields, this initialiser does not.
        public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
            self.hour = hour
            self.minute = minute
            self.second = second
            self.nanosecond = nanosecond
        }
    }

    /// The date, absent for a local time.
    public var date: Date?
    /// The time, absent for a local date.
    public var time: Time?
    /// Minutes east of UTC (`Z` is 0), present only on an offset date-time.
    public var offsetMinutes: Int?

    /// A value; at least one of `date` and `time` is present, and an offset only with both.
    public init(date: Date?, time: Time?, offsetMinutes: Int? = nil) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// The TOML name of this kind of value, for messages.
    public var typeName: String {
        switch (date, time, offsetMinutes) {
        case (_?, nil, _): return "local date"
        case (nil, _, _): return "local time"
        case (_?, _?, nil): return "local date-time"
        case (_?, _?, _?): return "offset date-time"
        }
    }
}
