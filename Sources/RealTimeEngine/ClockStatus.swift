import SystemInterface

/// What the clock discipline last found, published on the `LiveBoard` for `junctionctl status`
/// and the upstream status report. Written once a second off the tick; the tick never reads it.
public struct ClockStatus: Sendable, Equatable {
    /// CLOCK_MONOTONIC when the engine was made: the daemon's uptime counts from here.
    public var startedMonotonicNanoseconds: Int
    /// The last reading; nil before the first.
    public var reading: ClockSynchronisationReading?
    /// Seconds the clock has been unsynchronised without a break (0 while synchronised).
    public var unsynchronisedSeconds = 0
    /// Unsynchronised longer than `clock_unsynchronised_alarm_s`.
    public var alarm = false
    /// Wall-clock steps seen, and the last one in milliseconds (negative: back).
    public var steps: UInt64 = 0
    public var lastStepMilliseconds = 0

    public init(startedMonotonicNanoseconds: Int) {
        self.startedMonotonicNanoseconds = startedMonotonicNanoseconds
    }

    /// Synchronised by the last reading (false before the first).
    public var isSynchronised: Bool { reading?.isSynchronised ?? false }

    /// The source of the verdict in a word: `chrony`, `kernel`, or `none`.
    public var source: String {
        reading?.chrony != nil ? "chrony" : reading?.kernel != nil ? "kernel" : "none"
    }

    /// The clock's offset from its reference as best known, in nanoseconds: chrony's system-time
    /// offset, else the offset the kernel is still correcting.
    public var offsetNanoseconds: Int? {
        if let chrony = reading?.chrony { return Int(chrony.systemTimeOffsetSeconds * 1e9) }
        return reading?.kernel?.offsetNanoseconds
    }

    /// The leap status word (`normal`, `insert-second`, `not-synchronised`).
    public var leapStatus: String? {
        reading?.chrony?.leapStatusWord ?? reading?.kernel?.leapStatus
    }
}
