/// The time range a history route reads, from its query: `from` and `to` (Unix seconds, `to` excluded) or
/// `day=YYYY-MM-DD` (a whole day in UTC: central has no time zone of its own).
///
/// Guarantees: `fromSeconds < toSeconds`, the range is at most the route's `longestSeconds`, and a query that mixes
/// the two forms, gives only one end, or a value that is no time is an `APIError`, never narrowed quietly.
struct HistoryRange: Equatable, Sendable {
    /// Unix seconds, included.
    var fromSeconds: Int64
    /// Unix seconds, excluded.
    var toSeconds: Int64

    /// The query parameters that name a range.
    static let parameters = ["from", "to", "day"]
    /// `from` and `to` lie between 1970 and the year 2100: a larger number is a typo (milliseconds), not a time.
    static let secondsRange = 0...4_102_444_800

    var fromMilliseconds: Int64 { fromSeconds * 1000 }
    var toMilliseconds: Int64 { toSeconds * 1000 }

    init(fromSeconds: Int64, toSeconds: Int64) {
        self.fromSeconds = fromSeconds
        self.toSeconds = toSeconds
    }

    /// The range cut into consecutive pieces of at most `seconds` each, oldest first.
    func windows(of seconds: Int64) -> [HistoryRange] {
        stride(from: fromSeconds, to: toSeconds, by: Int(seconds)).map {
            HistoryRange(fromSeconds: $0, toSeconds: min($0 + seconds, toSeconds))
        }
    }

    /// The range `query` names, or nil when it names none (the route's own default applies).
    static func parse(_ query: APIQuery, longestSeconds: Int64) throws(APIError) -> HistoryRange? {
        let day = query.text("day")
        let hasEnds = query.text("from") != nil || query.text("to") != nil
        if day != nil && hasEnds { throw .badParameter("day: give either day or from and to, not both") }
        let range: HistoryRange
        if let day {
            guard let start = dayStart(day) else {
                throw .badParameter("day: expected a date YYYY-MM-DD (UTC), got \"\(day)\"")
            }
            range = HistoryRange(fromSeconds: start, toSeconds: start + 86_400)
        } else if hasEnds {
            guard query.text("from") != nil, query.text("to") != nil else {
                throw .badParameter("from and to: give both (Unix seconds), or neither")
            }
            let from = try query.integer("from", in: secondsRange, default: 0)
            let to = try query.integer("to", in: secondsRange, default: 0)
            guard from < to else { throw .badParameter("to: must be after from (\(from)), got \(to)") }
            range = HistoryRange(fromSeconds: Int64(from), toSeconds: Int64(to))
        } else {
            return nil
        }
        guard range.toSeconds - range.fromSeconds <= longestSeconds else {
            let length = range.toSeconds - range.fromSeconds
            throw .badParameter("range: at most \(longestSeconds / 3600) hours on this route, got \(length) s")
        }
        return range
    }

    /// Unix seconds of 00:00 UTC on `text` (`YYYY-MM-DD`, a real date from 1970 to 2099), nil otherwise.
    static func dayStart(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1970...2099).contains(year), (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        return Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = shifted / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
