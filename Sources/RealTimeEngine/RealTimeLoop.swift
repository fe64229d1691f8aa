import FieldIO
import Logging
import Synchronization
import SystemInterface

/// Calls a tick closure once per period on a dedicated pthread, at absolute deadlines on
/// CLOCK_MONOTONIC, and measures how late each wake-up was.
///
/// Guarantees:
/// - Deadlines are `start + k × period`, so lateness never accumulates into drift.
/// - Nothing in the loop allocates or blocks on I/O: the tick closure is the only work, and the
///   measurements go into storage allocated before the first tick.
/// - The closure's tick number rises by exactly one per call, starting at 0. When a tick's work ends
///   after the next deadline (an overrun), the loop skips to the next deadline still in the future
///   and counts the deadlines it skipped in `Statistics.missedTicks`; the runtime decides what
///   skipped ticks mean.
/// - `heartbeat` rises by one after every completed tick and may be read from any thread.
/// - `wakeDelayNanoseconds`, read by the tick closure, says how much later than one period after
///   the previous tick's wake-up the current tick woke: a process stopped (SIGSTOP) in its sleep
///   and one stopped mid-tick both show the whole stall there, once, in the first tick after it.
public final class RealTimeLoop: Sendable {
    /// What the loop has measured so far.
    public struct Statistics: Sendable, Equatable {
        /// Tick closure calls completed.
        public var ticks: UInt64 = 0
        /// Ticks whose work ended after the following deadline.
        public var overruns: UInt64 = 0
        /// Deadlines skipped because of overruns (no tick call was made for them).
        public var missedTicks: UInt64 = 0
        /// The longest time from wake-up to the end of a tick's work.
        public var maxTickWorkNanoseconds = 0
        /// Wake-up time minus deadline, per tick.
        public var lateness = LatencyHistogram()
    }

    /// The traffic-signal tick: one tenth of a second.
    public static let defaultPeriodNanoseconds = 100_000_000

    /// Time between deadlines.
    public let periodNanoseconds: Int
    private let options: RealTimeOptions
    private let logger: Logger
    private let heartbeatCounter = Atomic<UInt64>(0)
    private let wakeDelay = Atomic<Int>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let holdRequested = Atomic<Bool>(false)
    private let held = Atomic<Bool>(false)
    private let holdReleased: WakePipe
    private let optionsApplied: WakePipe
    // Synchronization.Mutex on Linux is a priority-inheriting futex, so a status reader holding it
    // is boosted rather than left to stall the loop.
    private let measurements = Mutex(Statistics())
    private let started = Atomic<Bool>(false)
    private let thread = Mutex<PosixThread?>(nil)
    // Kept for the loop's lifetime so the DMA-latency request is held while the loop exists.
    private let grant = Mutex<RealTimeGrant?>(nil)

    /// Prepares a loop; nothing runs until `start`.
    ///
    /// - Parameters:
    ///   - periodNanoseconds: time between deadlines, above 0.
    ///   - options: favours the loop thread asks of the kernel when it starts.
    public init(
        periodNanoseconds: Int = defaultPeriodNanoseconds,
        options: RealTimeOptions = RealTimeOptions(),
        logger: Logger
    ) throws(SystemError) {
        precondition(periodNanoseconds > 0, "a real-time loop needs a positive period")
        self.periodNanoseconds = periodNanoseconds
        self.options = options
        self.logger = logger
        holdReleased = try WakePipe()
        optionsApplied = try WakePipe()
    }

    /// Starts the loop thread, which applies the real-time options, then calls `tick` at every
    /// deadline from one period after start. Returns once the options are applied, with what was
    /// granted; the DMA-latency request lasts as long as this loop.
    ///
    /// `tick` runs only on the loop thread. It must not allocate, log or block.
    public func start(tick: sending @escaping (Int) -> Void) throws(SystemError) -> RealTimeGrant {
        precondition(!started.exchange(true, ordering: .acquiringAndReleasing), "a real-time loop starts once")
        let loopThread = try PosixThread(name: "junction-rt") { [self] in
            grant.withLock { $0 = options.apply(logger: logger) }
            optionsApplied.wake()
            run(tick: tick)
        }
        thread.withLock { $0 = loopThread }
        _ = optionsApplied.wait()
        return grant.withLock { $0! }
    }

    /// Asks the loop to end after its current tick; returns at once and may be called from the tick.
    public func requestStop() {
        stopRequested.store(true, ordering: .releasing)
        holdReleased.wake()
    }

    /// Stops the loop and waits for its thread to end, at most one period plus one tick later.
    /// Must not be called from the tick closure.
    public func stop() {
        requestStop()
        let finished = thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        finished?.join()
    }

    /// Completed ticks so far; other threads watch it to see that the loop is making progress.
    public var heartbeat: UInt64 {
        heartbeatCounter.load(ordering: .acquiring)
    }

    /// A copy of the measurements. It copies the lateness buckets (80 KB) under the lock the loop
    /// takes once per tick, so call it for status (about once a second), not in a tight loop.
    public func statistics() -> Statistics {
        measurements.withLock { current in
            var copy = current
            copy.lateness = current.lateness.snapshot()
            return copy
        }
    }

    /// How late the current tick woke: its wake-up minus the previous tick's wake-up minus one
    /// period, at least 0, in nanoseconds (the first tick: its lateness). Gaps between tick starts
    /// rather than deadlines, so a stall shows once, however many deadlines it skipped, whether the
    /// process stood still in its sleep or in a tick's work. Written before each tick call; meant
    /// for the tick closure, which turns a long one into a stall event without a clock reading of
    /// its own.
    public var wakeDelayNanoseconds: Int {
        wakeDelay.load(ordering: .relaxed)
    }

    // MARK: Test hooks

    /// Test hook: the loop parks after its current tick and makes no further progress (its heartbeat
    /// stops) until `releaseForTesting` or `stop`. This is how tests show the watchdog stops being fed.
    public func holdForTesting() {
        holdRequested.store(true, ordering: .releasing)
    }

    /// Test hook: lets a held loop go on. The ticks it slept through are counted as missed.
    public func releaseForTesting() {
        holdRequested.store(false, ordering: .releasing)
        holdReleased.wake()
    }

    /// Test hook: whether the loop is parked by `holdForTesting` right now.
    public var isHeldForTesting: Bool {
        held.load(ordering: .acquiring)
    }

    // MARK: The loop

    private func run(tick: (Int) -> Void) {
        var deadline = Clocks.monotonicNanoseconds() + periodNanoseconds
        var previousWoke: Int?
        var tickNumber = 0
        while !stopRequested.load(ordering: .acquiring) {
            Syscall.sleepUntil(monotonicNanoseconds: deadline)
            let woke = Clocks.monotonicNanoseconds()
            if stopRequested.load(ordering: .acquiring) {
                break
            }
            wakeDelay.store(
                max(0, previousWoke.map { woke - $0 - periodNanoseconds } ?? woke - deadline), ordering: .relaxed)
            previousWoke = woke
            tick(tickNumber)
            tickNumber += 1
            heartbeatCounter.wrappingAdd(1, ordering: .releasing)
            if holdRequested.load(ordering: .acquiring) {
                parkWhileHeld()
            }
            let finished = Clocks.monotonicNanoseconds()

            var next = deadline + periodNanoseconds
            var missed = 0
            if finished > next {
                missed = (finished - next) / periodNanoseconds + 1
                next += missed * periodNanoseconds
            }
            measurements.withLock { statistics in
                statistics.ticks += 1
                statistics.lateness.record(nanoseconds: woke - deadline)
                statistics.maxTickWorkNanoseconds = max(statistics.maxTickWorkNanoseconds, finished - woke)
                if missed > 0 {
                    statistics.overruns += 1
                    statistics.missedTicks += UInt64(missed)
                }
            }
            deadline = next
        }
    }

    private func parkWhileHeld() {
        held.store(true, ordering: .releasing)
        while holdRequested.load(ordering: .acquiring) && !stopRequested.load(ordering: .acquiring) {
            _ = holdReleased.wait()
        }
        held.store(false, ordering: .releasing)
    }
}
