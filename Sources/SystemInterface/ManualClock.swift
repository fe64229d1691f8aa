import Synchronization

/// A clock for tests that stands still until the test moves it, as swift-nio's
/// EmbeddedEventLoop does: timing logic then runs in exactly the order the test sets, with no
/// real sleep and no race against the machine's load.
///
/// Guarantees: `nowNanoseconds()` returns what the last `advance` left; a `wait` returns as soon
/// as an `advance` reaches its deadline (or its wake pipe is triggered), never because real time
/// passed. `reads` and `waits` count calls, so a test can tell that a thread has looked at the
/// clock again since it moved it.
package final class ManualClock: MonotonicClock {
    private struct State {
        var now: Int
        var reads = 0
        var waits = 0
        var waiting: [WakePipe] = []
    }

    private let state: Mutex<State>

    /// A clock that reads `startNanoseconds` until moved.
    package init(startNanoseconds: Int = 0) {
        state = Mutex(State(now: startNanoseconds))
    }

    package func nowNanoseconds() -> Int {
        state.withLock { state in
            state.reads += 1
            return state.now
        }
    }

    package func wait(untilNanoseconds deadlineNanoseconds: Int, orWake wake: WakePipe) {
        let due = state.withLock { state in
            state.waits += 1
            guard state.now < deadlineNanoseconds else { return true }
            state.waiting.append(wake)
            return false
        }
        guard !due else { return }
        // Woken by `advance` (which wakes every waiter; each re-checks its own deadline) or by
        // the component's own wake-up.
        _ = wake.wait()
        state.withLock { state in state.waiting.removeAll { $0 === wake } }
    }

    /// Moves the clock forward by `nanoseconds` and wakes every thread waiting on it.
    package func advance(by nanoseconds: Int) {
        precondition(nanoseconds >= 0, "a monotonic clock never goes back")
        let waiting = state.withLock { state in
            state.now += nanoseconds
            return state.waiting
        }
        for wake in waiting { wake.wake() }
    }

    /// How many times the clock has been read.
    package var reads: Int { state.withLock { $0.reads } }

    /// How many waits have begun (including those that were already due).
    package var waits: Int { state.withLock { $0.waits } }
}
