#if canImport(Glibc)
import Glibc
#endif

/// Central's wall clock and monotonic clock, read in one place so tests can pass times in instead.
public enum WallClock {
    /// Milliseconds since the Unix epoch (CLOCK_REALTIME).
    public static func nowMilliseconds() -> Int64 {
        Int64(nanoseconds(on: CLOCK_REALTIME) / 1_000_000)
    }

    /// Microseconds since the Unix epoch, for boot ids.
    public static func nowMicroseconds() -> UInt64 {
        nanoseconds(on: CLOCK_REALTIME) / 1000
    }

    /// Nanoseconds on CLOCK_MONOTONIC, for rates and intervals that must not jump with the wall clock.
    public static func monotonicNanoseconds() -> UInt64 {
        nanoseconds(on: CLOCK_MONOTONIC)
    }

    /// CPU time the calling thread has used, in nanoseconds (CLOCK_THREAD_CPUTIME_ID): the benchmark's measure of
    /// one core's work, which other processes on a shared machine do not inflate the way they do wall time.
    public static func threadCPUNanoseconds() -> UInt64 {
        nanoseconds(on: CLOCK_THREAD_CPUTIME_ID)
    }

    private static func nanoseconds(on clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
