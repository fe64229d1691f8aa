import CMallocCounter
import SystemInterface

/// The best of several timings of one benchmark loop, with the heap allocations it made.
///
/// Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which other processes on a busy build
/// machine do not inflate the way they inflate wall-clock time; wall time is kept beside it.
struct Measurement {
    /// One timed run of a loop.
    struct Figures {
        var nanosecondsPerTick: Double
        var wallNanosecondsPerTick: Double
        var allocationsPerTick: Double
        var allocations: UInt64
    }

    let name: String
    private(set) var best: Figures?

    init(name: String) {
        self.name = name
    }

    /// Keeps the fastest run; allocations are the same in every run of a deterministic loop, but the
    /// largest count is kept so that a stray allocation is never hidden.
    mutating func keep(_ figures: Figures) {
        guard let current = best else {
            best = figures
            return
        }
        best = Figures(
            nanosecondsPerTick: min(current.nanosecondsPerTick, figures.nanosecondsPerTick),
            wallNanosecondsPerTick: min(current.wallNanosecondsPerTick, figures.wallNanosecondsPerTick),
            allocationsPerTick: max(current.allocationsPerTick, figures.allocationsPerTick),
            allocations: max(current.allocations, figures.allocations))
    }

    /// Times `body` (which runs `ticks` ticks) with allocation counting on.
    static func measure(ticks: Int, _ body: () -> Void) -> Figures {
        let cpuStart = Clocks.threadCPUNanoseconds()
        let wallStart = SystemClock().nowNanoseconds()
        malloc_counter_start()
        body()
        malloc_counter_stop()
        let wall = SystemClock().nowNanoseconds() - wallStart
        let cpu = Clocks.threadCPUNanoseconds() - cpuStart
        let allocations = malloc_counter_count()
        return Figures(
            nanosecondsPerTick: Double(cpu) / Double(ticks), wallNanosecondsPerTick: Double(wall) / Double(ticks),
            allocationsPerTick: Double(allocations) / Double(ticks), allocations: UInt64(allocations))
    }

    /// Allocations counted while `body` runs; used to check that the counter is really interposed.
    static func allocations(_ body: () -> Void) -> UInt64 {
        malloc_counter_start()
        body()
        malloc_counter_stop()
        return UInt64(malloc_counter_count())
    }
}
