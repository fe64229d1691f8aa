/// Turns one detector's successive readings into actuation counts: from a 16-bit counter's
/// deltas (wrapping at 65536) when the detector has one, otherwise from presence rising edges.
///
/// A reading that does not follow the previous one without a gap (the first after start or after
/// a lost connection) only sets the baseline: vehicles counted across a gap are old news to the
/// controller and are reported as discarded, not as actuations.
struct ActuationTracker: Sendable, Equatable {
    /// A counter step larger than this between two polls is taken for a counter reset (the device
    /// restarted) rather than traffic: no loop sees that many vehicles in one poll interval.
    static let largestPlausibleStep = 255

    /// What one reading added.
    struct Outcome: Sendable, Equatable {
        /// Actuations to report to the controller.
        var counted = 0
        /// Actuations the device counted across a gap, dropped because they are stale.
        var discarded = 0
        /// The counter went backwards or jumped implausibly; the new value is the baseline.
        var counterReset = false
    }

    private var lastCounter: UInt16?
    private var lastPresence = false

    /// Takes one reading. `presence` and `counter` are nil when the detector has no such input.
    /// `continuous` is false for the first reading after a gap in polling.
    mutating func observe(presence: Bool?, counter: UInt16?, continuous: Bool) -> Outcome {
        var outcome = Outcome()
        if let counter {
            if let last = lastCounter {
                let step = Int(counter &- last)
                if !continuous {
                    // A best guess: a device restarted during the gap makes this number meaningless.
                    outcome.discarded = step
                } else if step > Self.largestPlausibleStep {
                    outcome.counterReset = true
                } else {
                    outcome.counted = step
                }
            }
            lastCounter = counter
        } else if let presence, continuous, presence, !lastPresence {
            outcome.counted = 1
        }
        lastPresence = presence ?? false
        return outcome
    }
}
