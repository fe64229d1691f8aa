import Synchronization

/// Where the daemon reads the time of day: the machine's CLOCK_REALTIME in service, a clock a test
/// moves by hand otherwise. Control timing never reads it (ticks run on CLOCK_MONOTONIC); the
/// schedule, clock discipline and timestamps do, so a step of the wall clock reaches them only.
public protocol WallClock: Sendable {
    /// Nanoseconds since the Unix epoch.
    func nanosecondsSinceEpoch() -> Int
}

/// The machine's wall clock (`Clocks.realtimeNanoseconds`).
public struct SystemWallClock: WallClock {
    public init() {}
    public func nanosecondsSinceEpoch() -> Int { Clocks.realtimeNanoseconds() }
}

/// A wall clock that only moves when told: for tests of schedules and clock steps, which must
/// never change the machine's clock. Safe to read and move from any thread.
public final class ManualWallClock: WallClock {
    private let nanoseconds: Atomic<Int>

    public init(nanosecondsSinceEpoch: Int) {
        nanoseconds = Atomic(nanosecondsSinceEpoch)
    }

    public func nanosecondsSinceEpoch() -> Int { nanoseconds.load(ordering: .acquiring) }

    /// Moves the clock by `delta` nanoseconds (negative: back), as a step or as time passing.
    public func advance(by delta: Int) {
        nanoseconds.add(delta, ordering: .acquiringAndReleasing)
    }

    /// Sets the clock, as `date -s` or an NTP step would.
    public func set(nanosecondsSinceEpoch: Int) {
        nanoseconds.store(nanosecondsSinceEpoch, ordering: .releasing)
    }
}
