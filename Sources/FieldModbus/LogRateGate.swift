/// At most one log line about a recurring event of one unit every `intervalNanoseconds`, with the
/// occurrences passed over in between counted for the next line: a device that misbehaves at every
/// poll (a counter that jumps each time, a link that fails at every other request and recovers at
/// the next) would otherwise write a line or two per poll, hundreds of thousands a day.
struct LogRateGate {
    /// The least time between two lines.
    static let intervalNanoseconds = 10_000_000_000

    private var lastLogged: Int?
    private var passedOver = 0

    /// Takes in one occurrence at `now` (CLOCK_MONOTONIC nanoseconds). Returns nil when it is not to
    /// be logged, else how many were passed over since the last line.
    mutating func admit(at now: Int) -> Int? {
        if let lastLogged, now - lastLogged < Self.intervalNanoseconds {
            passedOver += 1
            return nil
        }
        lastLogged = now
        defer { passedOver = 0 }
        return passedOver
    }

    /// " (and N more since the last such line)" for `passedOver` > 0, else nothing.
    static func suffix(_ passedOver: Int, _ what: String) -> String {
        passedOver > 0 ? " (and \(passedOver) more \(what) since the last such line)" : ""
    }
}
