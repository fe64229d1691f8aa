/// A clock that only moves forward, read in nanoseconds, and the one way components wait on it.
///
/// Components that time something (a rate limit, an idle timeout, a watchdog interval) take a
/// clock instead of reading CLOCK_MONOTONIC themselves, so a test can hand them a `ManualClock`
/// and move time by hand rather than sleep. `SystemClock` is the one production clock.
package protocol MonotonicClock: Sendable {
    /// Nanoseconds since an arbitrary start that does not change while the process runs.
    func nowNanoseconds() -> Int

    /// Returns once `nowNanoseconds() >= deadlineNanoseconds`, or earlier when `wake` is
    /// triggered. It may also return early for no reason, so callers re-check their own
    /// condition (a stop flag, the deadline) after every return.
    func wait(untilNanoseconds deadlineNanoseconds: Int, orWake wake: WakePipe)
}
