import Diagnostics
import SystemInterface

/// The time of day, uptime and clock state in words, for `status` and `events`.
enum ClockText {
    /// Milliseconds since the epoch as ISO 8601 UTC: `2026-12-03T07:40:12.345Z`.
    static func utc(milliseconds: Int) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        let t = Syscall.utcCalendar(secondsSinceEpoch: seconds)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(t.year)-\(two(t.month))-\(two(t.day))T\(two(t.hour)):\(two(t.minute)):\(two(t.second)).\(millis)Z"
    }

    /// Seconds as `3d 04:05:06` (days only when there are any).
    static func uptime(seconds: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let days = seconds / 86_400
        let clock = "\(two(seconds % 86_400 / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60))"
        return days > 0 ? "\(days)d \(clock)" : clock
    }

    /// The status report's timekeeping lines.
    static func lines(_ clock: StatusReport.Clock) -> [String] {
        var sync: String
        if clock.synchronised {
            sync = "synchronised (\(clock.source)"
            if let stratum = clock.stratum { sync += ", stratum \(stratum)" }
            if let reference = clock.reference { sync += " via \(reference)" }
        } else {
            sync = "NOT synchronised for \(uptime(seconds: clock.unsynchronisedSeconds))"
                + (clock.alarm ? " — ALARM" : "") + " (\(clock.source)"
        }
        if let offset = clock.offsetMicroseconds { sync += ", offset \(offset >= 0 ? "+" : "")\(offset) µs" }
        if let error = clock.maxErrorMicroseconds { sync += ", max error \(error) µs" }
        if let leap = clock.leapStatus { sync += ", leap \(leap)" }
        sync += ")"
        return [
            "  time     \(utc(milliseconds: clock.wallTimeMilliseconds)), up \(uptime(seconds: clock.uptimeSeconds))",
            "  clock    \(sync)",
            "  steps    \(clock.steps) clock steps"
                + (clock.steps > 0 ? " (last \(clock.lastStepMilliseconds >= 0 ? "+" : "")\(clock.lastStepMilliseconds) ms)" : "")
                + "; \(clock.tickStalls) tick stalls"
                + (clock.tickStalls > 0
                    ? " (last \(clock.lastTickStallMilliseconds) ms, longest \(clock.longestTickStallMilliseconds) ms)" : ""),
        ]
    }
}
