import CentralCore
import Foundation
import Wire

/// The CSV files of the history routes, one line at a time so a long range streams rather than sits in memory.
///
/// Events follow the Indiana high-resolution format that ATSPM tools import (`SignalId,Timestamp,EventCode,EventParam`,
/// Timestamp `YYYY-MM-DD HH:MM:SS.f` in UTC, tenths truncated); count bins add each detector's name and placement.
enum HistoryCSV {
    static let eventsHeader = "SignalId,Timestamp,EventCode,EventParam\n"
    static let countsHeader =
        "SignalId,BinStart,BinStartUnix,PeriodSeconds,Detector,DetectorName,Placement,Volume,OccupancyPermille,"
        + "ObservedSeconds\n"

    static func eventLine(junctionID: UInt32, _ event: EventRecord) -> String {
        let time = timestamp(milliseconds: Int64(clamping: event.timeMilliseconds))
        return "\(junctionID),\(time),\(event.code),\(event.parameter)\n"
    }

    /// One bin; `detectors` are the layout's (name, placement) by 1-based number, empty when the layout is unknown.
    static func countLine(junctionID: UInt32, _ bin: CountBin, detectors: [(name: String, placement: String)])
        -> String
    {
        let number = Int(bin.detector)
        let detector = detectors.indices.contains(number - 1)
            ? detectors[number - 1] : (name: "D\(number)", placement: "unknown")
        let start = Int64(clamping: bin.binStartSeconds)
        return "\(junctionID),\(timestamp(milliseconds: start * 1000)),\(start),\(bin.periodSeconds),\(number),"
            + "\(field(detector.name)),\(detector.placement),\(bin.volume),\(bin.occupancyPermille),"
            + "\(bin.observedSeconds)\n"
    }

    /// `2026-12-03 07:15:02.4`: UTC, tenths of a second truncated, as the Indiana format writes them.
    static func timestamp(milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (year, month, day) = civil(daysSinceEpoch: days)
        let tenths = (milliseconds - seconds * 1000) / 100
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(inDay / 3600, 2)):\(pad(inDay / 60 % 60, 2)):\(pad(inDay % 60, 2)).\(tenths)"
    }

    /// A name quoted when it holds a comma, quote or line break (RFC 4180).
    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
