import Store
import Synchronization

/// What the store writer and the upstream thread share: the committed marks, acknowledgements
/// waiting to be persisted, the store's counters and its alarm flags.
final class UpstreamLedger: Sendable {
    /// The shared values; every field is written by one thread and read by the other.
    struct State: Sendable {
        /// As of the writer's last successful commit, with acks raised as soon as they arrive.
        var marks = StoreMarks()
        var commits: UInt64 = 0
        var fullEvents: UInt64 = 0
        var errors: UInt64 = 0
        var eventsStored: UInt64 = 0
        var binsStored: UInt64 = 0
        var eventsDropped: UInt64 = 0
        var journalGaps: UInt64 = 0
        var unackedRetired: UInt64 = 0
        /// The last commit failed with SQLITE_FULL.
        var storeFull = false
        /// The store could not be opened, or the last commit failed otherwise.
        var storeFailing = false
    }

    let state: Mutex<State>

    init(marks: StoreMarks, storeAvailable: Bool) {
        var initial = State()
        initial.marks = marks
        initial.storeFailing = !storeAvailable
        state = Mutex(initial)
    }

    /// Records the acknowledged marks the upstream thread's `RecordForwarder`s reached (they only rise, and
    /// never pass what is committed); the writer persists them.
    func acknowledged(events: UInt64, counts: UInt64) {
        state.withLock { state in
            state.marks.eventsAcked = max(state.marks.eventsAcked, events)
            state.marks.countsAcked = max(state.marks.countsAcked, counts)
        }
    }

    func snapshot() -> State { state.withLock { $0 } }
}
