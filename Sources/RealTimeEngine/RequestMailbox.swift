import SignalCore
import Synchronization

/// Hands requests and prepared reloads from any thread to the control loop, and their outcomes
/// back: the loop's one exchange into the tick.
///
/// The loop calls `exchange` once per tick: under one lock it hands back the previous tick's
/// outcomes and spent reloads, copies the waiting requests into its own buffer and, at a stage
/// rest, takes the waiting reload. Nothing in it allocates: the rings are sized once, outcomes
/// and requests are copied, and a reload changes hands by moving one reference. The lock is a
/// priority-inheriting futex (Synchronization.Mutex on Linux) held only for these copies. A full
/// mailbox refuses a request at once and counts it. An outcome is visible one tick after the
/// tick that handled it. Request outcomes are kept in a ring of `capacity`; an outcome pushed out
/// of it before its poster looked is reported `forgotten`, never as still pending. Reload outcomes
/// have a ring of their own, so a flood of requests cannot push out the answer to a reload.
public final class RequestMailbox: Sendable {
    /// What the poster of a request learns when it looks (`answer(for:)`).
    public enum Answer: Sendable, Equatable {
        /// The loop has not handled it yet.
        case pending
        case answered(RequestOutcome)
        /// The loop handled it, but so many requests came after it that its outcome was dropped
        /// before this look: the poster must look at the state it wanted instead.
        case forgotten
    }

    /// What `post` gives for a request: the only key `answer(for:)` takes. Requests are numbered in
    /// the order posted, so tickets compare by age.
    public struct RequestTicket: Sendable, Hashable, Comparable {
        fileprivate let number: UInt64
        public static func < (a: Self, b: Self) -> Bool { a.number < b.number }
    }

    /// What `postReload` gives for a reload: the only key `reloadOutcome(of:)` takes, so a reload's
    /// answer is never looked for among the requests' (where it never comes), nor the reverse.
    public struct ReloadTicket: Sendable, Hashable {
        fileprivate let number: UInt64
    }

    /// Reload outcomes kept: reloads come one SIGHUP at a time, so a few are plenty.
    static let reloadOutcomesKept = 4

    /// A reloaded junction made ready off the real-time thread (`JunctionEngine.postReload`): the
    /// controller, strategy, field monitor and status for the new junction, all allocated before
    /// the loop sees it. The loop takes it over at a stage rest by swapping these in; the same
    /// object then carries the old ones back, so they are released off the loop too.
    ///
    /// Its fields belong to the thread that holds it from the mailbox: the poster until `post`,
    /// the loop from `exchange` until it hands it back, then the thread that releases it.
    final class Reload: @unchecked Sendable {
        /// The ticket `postReload` returned, under which the outcome is kept.
        fileprivate(set) var ticket = ReloadTicket(number: 0)
        /// Set when the reload was refused while being prepared; the loop reports it as is.
        let refusal: String?
        /// The successor controller; after the handover, the controller it replaced.
        var controller: SignalController
        /// The field monitor for the new junction; after the handover, the one it replaced.
        var fieldMonitor: SafetyMonitor
        /// The successor's status, sized for its strategy; after publishing, the replaced one.
        var status: ControllerStatus
        /// The next spent reload on the way back (a list, so handing back never allocates).
        fileprivate var next: Reload?

        init(controller: SignalController, fieldMonitor: SafetyMonitor, status: ControllerStatus, refusal: String?) {
            self.controller = controller
            self.fieldMonitor = fieldMonitor
            self.status = status
            self.refusal = refusal
        }
    }

    /// What the loop brings to and takes from one exchange; allocated once, owned by the loop.
    struct TickSide {
        /// Requests taken this exchange (`requestCount` of them, from index 0).
        var requests: [(ticket: RequestTicket, request: ControlRequest)]
        var requestCount = 0
        /// Outcomes the loop recorded since the last exchange (`outcomeCount` of them).
        var outcomes: [(ticket: RequestTicket, outcome: RequestOutcome)]
        var outcomeCount = 0
        /// The outcome of the reload handled since the last exchange (one a tick at most).
        var reloadOutcome: (ticket: ReloadTicket, outcome: RequestOutcome)?
        /// Reloads the loop is done with, handed back at the next exchange.
        var spent: Reload?
        /// The reload taken this exchange, if any.
        var reload: Reload?
        /// Whether a reload is waiting that was not taken (the loop was not at a stage rest).
        var reloadWaiting = false
        /// Requests refused because the mailbox was full, as of this exchange.
        var dropped: UInt64 = 0

        init(capacity: Int) {
            requests = Array(repeating: (RequestTicket(number: 0), .advance), count: capacity)
            outcomes = Array(repeating: (RequestTicket(number: 0), .accepted), count: capacity)
        }

        /// Records a request's outcome for the next exchange to hand back.
        mutating func finish(_ ticket: RequestTicket, _ outcome: RequestOutcome) {
            outcomes[outcomeCount] = (ticket, outcome)
            outcomeCount += 1
        }

        /// Records the outcome of the reload taken this exchange.
        mutating func finishReload(_ reload: Reload, _ outcome: RequestOutcome) {
            precondition(reloadOutcome == nil, "one reload a tick")
            reloadOutcome = (reload.ticket, outcome)
        }

        /// Puts `reload` on the list handed back at the next exchange.
        mutating func retire(_ reload: Reload) {
            reload.next = spent
            spent = reload
        }
    }

    private struct State {
        var pending: [(ticket: RequestTicket, request: ControlRequest)?]
        var head = 0
        var count = 0
        /// The number of the next ticket, request or reload.
        var nextNumber: UInt64 = 1
        var outcomes: [(ticket: RequestTicket, outcome: RequestOutcome)?]
        var outcomeCursor = 0
        /// Requests are handled in the order posted, so their tickets rise through the ring: every
        /// request up to this one has had its outcome pushed out.
        var forgottenThrough = RequestTicket(number: 0)
        var reloadOutcomes: [(ticket: ReloadTicket, outcome: RequestOutcome)?]
        var reloadCursor = 0
        var offered: Reload?
        var returned: Reload?
        var dropped: UInt64 = 0

        mutating func takeNumber() -> UInt64 {
            defer { nextNumber += 1 }
            return nextNumber
        }
    }

    /// Requests one exchange can take; also the number of request outcomes kept for `answer(for:)`.
    let capacity: Int
    private let state: Mutex<State>

    public init(capacity: Int = 32) {
        self.capacity = capacity
        state = Mutex(State(pending: Array(repeating: nil, count: capacity),
                            outcomes: Array(repeating: nil, count: capacity),
                            reloadOutcomes: Array(repeating: nil, count: Self.reloadOutcomesKept)))
    }

    /// Queues a request; returns its ticket, or nil when the mailbox is full.
    public func post(_ request: ControlRequest) -> RequestTicket? {
        state.withLock { state in
            guard state.count < state.pending.count else {
                state.dropped += 1
                return nil
            }
            let ticket = RequestTicket(number: state.takeNumber())
            state.pending[(state.head + state.count) % state.pending.count] = (ticket, request)
            state.count += 1
            return ticket
        }
    }

    /// What became of the request with `ticket`.
    public func answer(for ticket: RequestTicket) -> Answer {
        withLockReleasingReturned { state in
            if let kept = state.outcomes.lazy.compactMap({ $0 }).first(where: { $0.ticket == ticket }) {
                .answered(kept.outcome)
            } else if ticket <= state.forgottenThrough {
                .forgotten
            } else {
                .pending
            }
        }
    }

    /// The outcome of the reload with `ticket` once the loop has taken it over or refused it; nil
    /// while it waits, and for good when a newer reload replaced it before the loop took it.
    public func reloadOutcome(of ticket: ReloadTicket) -> RequestOutcome? {
        withLockReleasingReturned { state in
            state.reloadOutcomes.lazy.compactMap { $0 }.first { $0.ticket == ticket }?.outcome
        }
    }

    /// Requests refused because the mailbox was full.
    public var dropped: UInt64 { state.withLock { $0.dropped } }

    /// Offers a prepared reload, replacing one the loop has not taken yet; returns its ticket. The
    /// replaced reload is released here, on the caller's thread.
    func post(_ reload: Reload) -> ReloadTicket {
        let (ticket, replaced) = withLockReleasingReturned { state in
            reload.ticket = ReloadTicket(number: state.takeNumber())
            let replaced = state.offered
            state.offered = reload
            return (reload.ticket, replaced)
        }
        release(replaced)
        return ticket
    }

    /// Takes back the reload with `ticket` if the loop has not taken it yet; true when it did. The
    /// withdrawn reload is released here, on the caller's thread; it never has an outcome.
    public func withdraw(_ ticket: ReloadTicket) -> Bool {
        let withdrawn = withLockReleasingReturned { state -> Reload? in
            guard state.offered?.ticket == ticket else { return nil }
            return state.offered.take()
        }
        return withdrawn != nil
    }

    /// Runs `body` under the lock and then, outside it, releases the reloads the loop has handed
    /// back: every caller but the loop does this, so the loop never frees them.
    private func withLockReleasingReturned<T>(_ body: (inout State) -> T) -> T {
        let (result, returned) = state.withLock { state in
            (body(&state), state.returned.take())
        }
        release(returned)
        return result
    }

    /// For the loop, once per tick: hands back `side`'s outcomes and spent reloads, takes the
    /// waiting requests and a waiting reload that carries a refusal (one to take over waits for
    /// `takeReload`, at a stage rest). Allocates nothing and frees nothing.
    func exchange(_ side: inout TickSide) {
        state.withLock { state in
            for index in 0..<side.outcomeCount {
                if let pushedOut = state.outcomes[state.outcomeCursor] {
                    state.forgottenThrough = pushedOut.ticket
                }
                state.outcomes[state.outcomeCursor] = side.outcomes[index]
                state.outcomeCursor = (state.outcomeCursor + 1) % state.outcomes.count
            }
            side.outcomeCount = 0
            if let reloadOutcome = side.reloadOutcome.take() {
                state.reloadOutcomes[state.reloadCursor] = reloadOutcome
                state.reloadCursor = (state.reloadCursor + 1) % state.reloadOutcomes.count
            }
            while let spent = side.spent {
                side.spent = spent.next
                spent.next = state.returned
                state.returned = spent
            }
            side.requestCount = 0
            while state.count > 0, side.requestCount < side.requests.count, let slot = state.pending[state.head] {
                state.pending[state.head] = nil
                state.head = (state.head + 1) % state.pending.count
                state.count -= 1
                side.requests[side.requestCount] = slot
                side.requestCount += 1
            }
            precondition(side.reload == nil, "the loop takes over or refuses a reload in the tick that took it")
            if state.offered?.refusal != nil {
                // Moved, not copied: the mailbox no longer holds it.
                side.reload = state.offered.take()
            }
            side.reloadWaiting = state.offered != nil
            side.dropped = state.dropped
        }
    }

    /// For the loop, after `exchange` and the requests it brought are applied, only at a stage rest
    /// as they leave the controller (a flash asked for in this very tick rules one out, and the
    /// reload then waits rather than being refused): takes the waiting reload, if it is still
    /// there. Allocates nothing and frees nothing.
    func takeReload(_ side: inout TickSide) {
        state.withLock { state in
            precondition(side.reload == nil, "the loop takes over or refuses a reload in the tick that took it")
            side.reload = state.offered.take()
            side.reloadWaiting = false
        }
    }

    /// Drops a list of reloads one by one (outside the lock), so a long list cannot recurse deeply.
    private func release(_ list: Reload?) {
        var next = list
        while let reload = next {
            next = reload.next
            reload.next = nil
        }
    }
}
