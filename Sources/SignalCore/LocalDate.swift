/// A date of the proleptic Gregorian calendar, without a time zone: the key of an exception day.
///
/// Arithmetic goes through `dayNumber` (days since 1970-01-01), computed with the civil-calendar
/// algorithm of Howard Hinnant, exact for every year the junction can meet.
public struct LocalDate: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31, valid for the month.
    public var day: Int

    /// A date; the fields are not checked (a config reader checks them, `isValid` says).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01 (negative: before).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day of the week (1970-01-01 was a Thursday).
    public var weekday: Weekday {
        Weekday(rawValue: ((dayNumber + 3) % 7 + 7) % 7)!
    }

    /// The date `days` days later (negative: earlier).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// Whether the day exists in its month.
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return LocalDate(dayNumber: dayNumber) == self
    }

    /// `2027-08-17`.
    public var description: String {
        "\(year)-\(Self.twoDigits(month))-\(Self.twoDigits(day))"
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static func < (left: LocalDate, right: LocalDate) -> Bool {
        (left.year, left.month, left.day) < (right.year, right.month, right.day)
    }
}
