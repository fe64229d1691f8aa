/// CLOCK_MONOTONIC: the clock of the real daemon, of the kernel's GPIO event timestamps, and of
/// every deadline in the runtime. Never jumps with the wall clock (NTP, a technician's `date`).
package struct SystemClock: MonotonicClock {
    package init() {}

    package func nowNanoseconds() -> Int {
        Clocks.monotonicNanoseconds()
    }

    package func wait(untilNanoseconds deadlineNanoseconds: Int, orWake wake: WakePipe) {
        let left = deadlineNanoseconds - nowNanoseconds()
        guard left > 0 else { return }
        // Rounded up: poll's millisecond timeout would otherwise return just before the deadline.
        _ = wake.wait(timeoutMilliseconds: (left + 999_999) / 1_000_000)
    }
}
