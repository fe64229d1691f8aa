import Synchronization

/// A thread of its own that runs a pass once per interval of its clock until `stop()`: the shape of
/// the side work beside the control loop (the watchdog feeder, the time-of-day schedule, the clock
/// watch), written once.
///
/// Guarantees: a pass starts no earlier than one interval after the previous one started (the
/// first one at once, or after one interval); a late pass is followed by a whole interval, never by
/// catch-up passes; an early return of the clock's wait (spurious, or a wake) runs no pass.
/// `stop()` wakes the thread from its wait and returns once the thread has ended, after the pass
/// under way if there is one; no pass starts after `stop()` was called.
package final class PeriodicThread: Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let wake: WakePipe
    private let thread = Mutex<PosixThread?>(nil)

    /// Starts the thread `name`, which runs `pass` every `intervalNanoseconds` of `clock`,
    /// beginning at once when `firstPassAtOnce`, else one interval from now.
    package init(
        name: String, intervalNanoseconds: Int, clock: any MonotonicClock = SystemClock(), firstPassAtOnce: Bool,
        pass: @escaping @Sendable () -> Void
    ) throws(SystemError) {
        precondition(intervalNanoseconds > 0, "a period is positive")
        wake = try WakePipe()
        let started = try PosixThread(name: name) { [self] in
            var next = clock.nowNanoseconds() + (firstPassAtOnce ? 0 : intervalNanoseconds)
            while !stopRequested.load(ordering: .acquiring) {
                let now = clock.nowNanoseconds()
                if now >= next {
                    pass()
                    next = now + intervalNanoseconds
                } else {
                    clock.wait(untilNanoseconds: next, orWake: wake)
                }
            }
        }
        thread.withLock { $0 = started }
    }

    /// Ends the thread and waits for it; calling it again does nothing.
    package func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake.wake()
        let finished = thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        finished?.join()
    }
}
