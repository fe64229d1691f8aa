import SignalCore
import Synchronization

/// Hands requests from any thread to the control loop and their outcomes back.
///
/// The loop drains it once per tick without blocking or allocating (a fixed ring behind a
/// mutex held only for copies). A full mailbox refuses the request at once and counts it.
public final class RequestMailbox: Sendable {
    /// A reloaded junction waiting for the controller's next safe point.
    public struct Reload: Sendable {
        /// The number `postReload` returned, under which the outcome is kept.
        public var id: UInt64
        /// The junction to run from the safe point on.
        public var junction: Junction
        /// Its adaptive strategy and tuning (`[adaptive]`).
        public var adaptive: AdaptiveSettings
    }

    private struct Slot {
        var id: UInt64
        var request: ControlRequest
    }

    private struct State {
        var pending: [Slot?]
        var head = 0
        var count = 0
        var nextID: UInt64 = 1
        var outcomes: [(id: UInt64, outcome: RequestOutcome)?]
        var outcomeCursor = 0
        var reload: Reload?
        var dropped: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(capacity: Int = 32) {
        state = Mutex(State(pending: Array(repeating: nil, count: capacity),
                            outcomes: Array(repeating: nil, count: capacity)))
    }

    /// Queues a request; returns its id, or nil when the mailbox is full.
    public func post(_ request: ControlRequest) -> UInt64? {
        state.withLock { state in
            guard state.count < state.pending.count else {
                state.dropped += 1
                return nil
            }
            let id = state.nextID
            state.nextID += 1
            state.pending[(state.head + state.count) % state.pending.count] = Slot(id: id, request: request)
            state.count += 1
            return id
        }
    }

    /// The outcome of request `id` once the loop has handled it.
    public func outcome(of id: UInt64) -> RequestOutcome? {
        state.withLock { state in
            state.outcomes.lazy.compactMap { $0 }.first { $0.id == id }?.outcome
        }
    }

    /// Queues a reloaded junction, replacing one that is still waiting; returns its id.
    public func postReload(_ junction: Junction, adaptive: AdaptiveSettings = AdaptiveSettings()) -> UInt64 {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.reload = Reload(id: id, junction: junction, adaptive: adaptive)
            return id
        }
    }

    /// Requests refused because the mailbox was full.
    public var dropped: UInt64 { state.withLock { $0.dropped } }

    /// For the loop: takes the oldest request, if any.
    package func take() -> (id: UInt64, request: ControlRequest)? {
        state.withLock { state in
            guard state.count > 0, let slot = state.pending[state.head] else { return nil }
            state.pending[state.head] = nil
            state.head = (state.head + 1) % state.pending.count
            state.count -= 1
            return (slot.id, slot.request)
        }
    }

    /// For the loop: the waiting reload, left in place until `finishReload`.
    package func peekReload() -> Reload? { state.withLock { $0.reload } }

    /// For the loop: records a request's or reload's outcome.
    package func finish(_ id: UInt64, _ outcome: RequestOutcome) {
        state.withLock { state in
            if state.reload?.id == id { state.reload = nil }
            state.outcomes[state.outcomeCursor] = (id, outcome)
            state.outcomeCursor = (state.outcomeCursor + 1) % state.outcomes.count
        }
    }
}
