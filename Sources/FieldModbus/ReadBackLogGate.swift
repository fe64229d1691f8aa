/// Which lamp read-back results of one unit are worth a log line.
///
/// A mismatch repeats on every poll while it lasts (several a second; the field monitor latched
/// its fault on the first): it is logged when it starts or names other groups, then at most once
/// every `repeatNanoseconds` with the polls alike in between counted, and once when it ends.
struct ReadBackLogGate {
    /// What to log for one read-back.
    enum Note: Equatable {
        /// The mismatch, after `alikeBefore` polls alike that were not logged.
        case mismatch(alikeBefore: Int)
        /// The coils read back as written after a mismatch.
        case matchesAgain
    }

    /// The least time between two lines about one unchanged mismatch.
    static let repeatNanoseconds = 10_000_000_000

    /// The groups of the mismatch last logged, when, and the polls alike since.
    private var last: (groups: [String], loggedAt: Int, alike: Int)?

    /// Takes in one read-back at `now` (CLOCK_MONOTONIC nanoseconds): `differing` names the groups
    /// whose coils read back unlike written. Returns what to log, or nil for nothing.
    mutating func note(_ differing: [String], at now: Int) -> Note? {
        guard !differing.isEmpty else { return last.take() == nil ? nil : .matchesAgain }
        if let last, last.groups == differing {
            if now - last.loggedAt < Self.repeatNanoseconds {
                self.last?.alike += 1
                return nil
            }
            self.last = (differing, now, 0)
            return .mismatch(alikeBefore: last.alike)
        }
        last = (differing, now, 0)
        return .mismatch(alikeBefore: 0)
    }
}
