/// A local date and time of day, as the schedule reads it: the wall clock's instant shifted by the
/// junction's UTC offset. Seconds are whole; the schedule needs no finer.
public struct LocalDateTime: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var date: LocalDate
    /// Seconds since local midnight, 0–86 399.
    public var secondOfDay: Int

    public static let secondsPerDay = 86_400

    public init(date: LocalDate, secondOfDay: Int) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    /// The local time of the instant `secondsSinceEpoch` (UTC) in a zone `utcOffsetSeconds` east of UTC.
    public init(secondsSinceEpoch: Int, utcOffsetSeconds: Int) {
        let local = secondsSinceEpoch + utcOffsetSeconds
        let days = local >= 0 ? local / Self.secondsPerDay : (local - Self.secondsPerDay + 1) / Self.secondsPerDay
        date = LocalDate(dayNumber: days)
        secondOfDay = local - days * Self.secondsPerDay
    }

    /// Seconds since 1970-01-01 00:00 local time; the inverse of the initialiser with offset 0.
    public var localSeconds: Int { date.dayNumber * Self.secondsPerDay + secondOfDay }

    /// `2027-08-17 06:30` (seconds shown only when not zero).
    public var description: String {
        "\(date) \(Self.timeOfDay(secondOfDay))"
    }

    /// `06:30`, or `06:30:15` when the second is not zero.
    public static func timeOfDay(_ secondOfDay: Int) -> String {
        let hour = secondOfDay / 3600
        let minute = secondOfDay / 60 % 60
        let second = secondOfDay % 60
        let clock = "\(LocalDate.twoDigits(hour)):\(LocalDate.twoDigits(minute))"
        return second == 0 ? clock : clock + ":\(LocalDate.twoDigits(second))"
    }

    public static func < (left: LocalDateTime, right: LocalDateTime) -> Bool {
        left.localSeconds < right.localSeconds
    }
}
