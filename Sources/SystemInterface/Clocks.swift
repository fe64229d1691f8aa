import Glibc

/// The machine's clocks, each read here and nowhere else, in nanoseconds: for the daemon (its
/// `SystemClock` and timestamps) and for junction-central.
public enum Clocks {
    /// Nanoseconds on CLOCK_MONOTONIC since an arbitrary start (boot): for intervals and deadlines,
    /// which must not jump with the wall clock.
    public static func monotonicNanoseconds() -> Int { read(CLOCK_MONOTONIC) }

    /// Nanoseconds since the Unix epoch on CLOCK_REALTIME: for timestamps only.
    public static func realtimeNanoseconds() -> Int { read(CLOCK_REALTIME) }

    /// Nanoseconds of CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID), which other
    /// processes on a busy machine do not inflate: for benchmarks.
    public static func threadCPUNanoseconds() -> Int { read(CLOCK_THREAD_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> Int {
        var now = timespec()
        // These clocks with a valid pointer cannot fail; anything else is a broken libc.
        precondition(clock_gettime(clock, &now) == 0, "clock_gettime(\(clock)) failed")
        return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
    }
}
