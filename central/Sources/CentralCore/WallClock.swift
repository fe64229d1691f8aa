import SystemInterface

/// Central's wall clock and monotonic clock in the units central keeps, read through the one clock
/// reader both packages share (`Clocks`), so tests can pass times in instead.
public enum WallClock {
    /// Milliseconds since the Unix epoch (CLOCK_REALTIME).
    public static func nowMilliseconds() -> Int64 {
        Int64(Clocks.realtimeNanoseconds() / 1_000_000)
    }

    /// Microseconds since the Unix epoch, for boot ids.
    public static func nowMicroseconds() -> UInt64 {
        UInt64(Clocks.realtimeNanoseconds() / 1000)
    }

    /// Nanoseconds on CLOCK_MONOTONIC, for rates and intervals that must not jump with the wall clock.
    public static func monotonicNanoseconds() -> UInt64 {
        UInt64(Clocks.monotonicNanoseconds())
    }

    /// CPU time the calling thread has used, in nanoseconds (CLOCK_THREAD_CPUTIME_ID): the benchmark's measure of
    /// one core's work, which other processes on a shared machine do not inflate the way they do wall time.
    public static func threadCPUNanoseconds() -> UInt64 {
        UInt64(Clocks.threadCPUNanoseconds())
    }
}
