import SystemInterface

/// Which lamp read-back results of one unit are worth a log line.
///
/// A mismatch repeats on every poll while it lasts (several a second; the field monitor latched
/// its fault on the first): it is logged when it starts, then at most once every
/// `LogRateGate.intervalNanoseconds` whatever groups it names (a flapping coil changes them poll by
/// poll), with the polls in between counted, and once when it ends.
struct ReadBackLogGate {
    /// What to log for one read-back.
    enum Note: Equatable {
        /// The mismatch, after `alikeBefore` polls with a mismatch that were not logged.
        case mismatch(alikeBefore: Int)
        /// The coils read back as written after a mismatch.
        case matchesAgain
    }

    /// Whether a mismatch is lasting now.
    private var lasting = false
    /// How often a lasting mismatch is logged: the interval and the count are `LogRateGate`'s.
    private var repeats = LogRateGate()

    /// Takes in one read-back at `now` (CLOCK_MONOTONIC nanoseconds): `differing` names the groups
    /// whose coils read back unlike written. Returns what to log, or nil for nothing.
    mutating func note(_ differing: [String], at now: Int) -> Note? {
        guard !differing.isEmpty else {
            defer { lasting = false }
            return lasting ? .matchesAgain : nil
        }
        if !lasting {
            // A new mismatch is logged when it starts, however soon after the last one.
            lasting = true
            repeats = LogRateGate()
        }
        return repeats.admit(at: now).map { .mismatch(alikeBefore: $0) }
    }
}
