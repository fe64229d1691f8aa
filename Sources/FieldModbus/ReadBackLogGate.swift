/// Which lamp read-back results of one unit are worth a log line.
///
/// A mismatch repeats on every poll while it lasts (several a second; the field monitor latched
/// its fault on the first): it is logged when it starts, then at most once every
/// `repeatNanoseconds` whatever groups it names (a flapping coil changes them poll by poll), with
/// the polls in between counted, and once when it ends.
struct ReadBackLogGate {
    /// What to log for one read-back.
    enum Note: Equatable {
        /// The mismatch, after `alikeBefore` polls with a mismatch that were not logged.
        case mismatch(alikeBefore: Int)
        /// The coils read back as written after a mismatch.
        case matchesAgain
    }

    /// The least time between two lines about one lasting mismatch.
    static let repeatNanoseconds = 10_000_000_000

    /// When the mismatch was last logged, and the polls with a mismatch since.
    private var last: (loggedAt: Int, alike: Int)?

    /// Takes in one read-back at `now` (CLOCK_MONOTONIC nanoseconds): `differing` names the groups
    /// whose coils read back unlike written. Returns what to log, or nil for nothing.
    mutating func note(_ differing: [String], at now: Int) -> Note? {
        guard !differing.isEmpty else { return last.take() == nil ? nil : .matchesAgain }
        guard let last else {
            self.last = (now, 0)
            return .mismatch(alikeBefore: 0)
        }
        guard now - last.loggedAt >= Self.repeatNanoseconds else {
            self.last?.alike += 1
            return nil
        }
        self.last = (now, 0)
        return .mismatch(alikeBefore: last.alike)
    }
}
