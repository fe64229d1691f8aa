import Synchronization

/// The one line per release property suite that CI reads to check that the simulated hours it
/// asked for actually ran: `property hours: <SuiteName> <hours>`, on stdout, with the hours to one
/// decimal, rounded down, from the ticks actually simulated (never from the budget).
///
/// A suite whose hours come from several tests says how many; the line is printed when the last
/// of them reports, with their sum. A run that leaves part of a suite out prints no line for it,
/// so a check that wants the line fails rather than counting the hours of half a suite.
enum PropertyHours {
    private static let pending = Mutex<[String: (reported: Int, ticks: Int)]>([:])

    /// Adds one test's simulated `ticks` (tenths of a second) to `suite`, printing the suite's line
    /// once all `parts` tests of it have reported.
    static func report(suite: String, ticks: Int, parts: Int = 1) {
        let total = pending.withLock { pending -> Int? in
            var entry = pending[suite] ?? (reported: 0, ticks: 0)
            entry.reported += 1
            entry.ticks += ticks
            pending[suite] = entry
            return entry.reported == parts ? entry.ticks : nil
        }
        if let total { print(line(suite: suite, ticks: total)) }
    }

    /// The line for `ticks` simulated ticks; 3,600 ticks are a tenth of an hour.
    static func line(suite: String, ticks: Int) -> String {
        let tenthsOfAnHour = ticks / 3600
        return "property hours: \(suite) \(tenthsOfAnHour / 10).\(tenthsOfAnHour % 10)"
    }
}
