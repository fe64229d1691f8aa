import Diagnostics
import JunctionConfig
import Logging
import RealTimeEngine
import SignalCore
import Store
import Synchronization
import SystemInterface
import Wire

/// The store-writer thread: drains the engine's event journal and bins detector counts, and
/// commits both (with central's acknowledgements) in one transaction every commit interval.
///
/// It never touches the tick beyond short copies under the board's lock. A failing or full store
/// never stops it: records wait in memory (at most `maximumPendingEvents`; beyond that the oldest
/// are dropped and counted) and are retried at the next interval, and the alarms say so.
final class StoreWriter: @unchecked Sendable {
    /// How often the journal is drained and counts sampled.
    static let sampleMilliseconds = 200
    /// Most journal entries taken under the lock at once, to keep the tick's wait short.
    static let entriesPerSample = 2048
    /// Events kept in memory while the store cannot take them.
    static let maximumPendingEvents = 200_000
    /// How often retention runs.
    static let retentionSeconds = 600

    private let engine: JunctionEngine
    private let ledger: UpstreamLedger
    private let settings: UpstreamSettings
    private let bootId: UInt64
    private let logger: Logger
    /// The clock of the sample, commit and retention timers; tests hand in a `ManualClock`.
    private let clock: any MonotonicClock
    private let stopRequested = Atomic<Bool>(false)
    /// Cuts the wait between samples short when `stop` is called.
    private var wake: WakePipe?
    private var store: JunctionStore?
    private var thread: PosixThread?

    /// Journal position and the mapping of controller ticks to wall-clock time.
    private var lastSequence: UInt64 = 0
    private var wallMillisecondsAtTick0: Int64 = 0
    private var pendingEvents: [JournalledEvent] = []
    private var pendingBins: [CountBin] = []
    private var persistedAcks = (events: UInt64(0), counts: UInt64(0))
    private var bin: OpenBin?

    /// The count bin being accumulated: the totals at its start, and when it started.
    private struct OpenBin {
        var startSeconds: Int64
        var totals: DetectorTotals
        var ticks: UInt64
    }

    init(
        store: sending JunctionStore, engine: JunctionEngine, ledger: UpstreamLedger, settings: UpstreamSettings,
        bootId: UInt64, logger: Logger, clock: any MonotonicClock = SystemClock()
    ) {
        self.clock = clock
        self.store = store
        self.engine = engine
        self.ledger = ledger
        self.settings = settings
        self.bootId = bootId
        self.logger = logger
        let marks = ledger.snapshot().marks
        persistedAcks = (marks.eventsAcked, marks.countsAcked)
    }

    func start() throws(SystemError) {
        let (tick, _) = engine.board.withLock { ($0.status.tick, $0.ticks) }
        wallMillisecondsAtTick0 = Self.wallMilliseconds() - Int64(tick) * 100
        let wake = try WakePipe()
        self.wake = wake
        thread = try PosixThread(name: "store-writer") { [self] in run(wake: wake) }
    }

    /// Stops the thread after a last drain and a final commit that includes the partial bin.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        wake?.wake()
        thread?.join()
        thread = nil
    }

    private func run(wake: WakePipe) {
        retain(nowSeconds: Self.wallMilliseconds() / 1000)
        // The one reading of the clock per pass, so a test that moved it can tell a whole pass
        // has seen the move.
        var now = clock.nowNanoseconds()
        var nextCommit = now + settings.commitIntervalMilliseconds * 1_000_000
        var nextRetention = now + Self.retentionSeconds * 1_000_000_000
        while !stopRequested.load(ordering: .relaxed) {
            clock.wait(untilNanoseconds: now + Self.sampleMilliseconds * 1_000_000, orWake: wake)
            sample(closingPartialBin: false)
            now = clock.nowNanoseconds()
            if now >= nextCommit {
                commit()
                nextCommit = now + settings.commitIntervalMilliseconds * 1_000_000
            }
            if now >= nextRetention {
                retain(nowSeconds: Self.wallMilliseconds() / 1000)
                nextRetention = now + Self.retentionSeconds * 1_000_000_000
            }
        }
        sample(closingPartialBin: true)
        commit()
    }

    // MARK: - Sampling

    private func sample(closingPartialBin: Bool) {
        var entries: [EventJournal.Entry] = []
        var totals = DetectorTotals(detectorCount: 0)
        var ticks: UInt64 = 0
        repeat {
            (entries, totals, ticks) = engine.board.withLock { board in
                (board.journal.entries(after: lastSequence, limit: Self.entriesPerSample),
                 board.detectorTotals.detached(), board.ticks)
            }
            take(entries)
        } while entries.count == Self.entriesPerSample
        binCounts(totals: totals, ticks: ticks, closingPartialBin: closingPartialBin)
    }

    /// An event's parameter as the wire's 16 bits carry it: a technician's command in its wire form, anything
    /// else clamped (a uid above 65,535 arrives as 65,535).
    static func wireParameter(_ event: ControllerEvent) -> UInt16 {
        if event.code == .manualControl, let audit = OperatorAudit(parameter: event.parameter) { return audit.wireParameter }
        return UInt16(clamping: event.parameter)
    }

    private func take(_ entries: [EventJournal.Entry]) {
        guard let first = entries.first else { return }
        if first.sequence > lastSequence + 1 {
            let lost = first.sequence - lastSequence - 1
            ledger.state.withLock { $0.journalGaps += lost }
            logger.warning("store writer fell behind: \(lost) events were overwritten in the journal")
        }
        for entry in entries {
            pendingEvents.append(
                JournalledEvent(
                    record: EventRecord(
                        timeMilliseconds: UInt64(max(0, wallMillisecondsAtTick0 + Int64(entry.event.tick) * 100)),
                        code: entry.event.code.rawValue, parameter: Self.wireParameter(entry.event)),
                    bootId: bootId, journalSequence: entry.sequence))
        }
        lastSequence = entries[entries.count - 1].sequence
        if pendingEvents.count > Self.maximumPendingEvents {
            let excess = pendingEvents.count - Self.maximumPendingEvents
            pendingEvents.removeFirst(excess)
            ledger.state.withLock { $0.eventsDropped += UInt64(excess) }
        }
    }

    private func binCounts(totals: DetectorTotals, ticks: UInt64, closingPartialBin: Bool) {
        let period = Int64(settings.countPeriodSeconds)
        let nowSeconds = Self.wallMilliseconds() / 1000
        guard let open = bin else {
            bin = OpenBin(startSeconds: nowSeconds / period * period, totals: totals, ticks: ticks)
            return
        }
        let ended = nowSeconds >= open.startSeconds + period || nowSeconds < open.startSeconds
        guard ended || closingPartialBin else { return }
        let observedTicks = ticks &- open.ticks
        if observedTicks > 0 {
            let observed = UInt32(min(UInt64(period), (observedTicks + 5) / 10))
            for index in totals.actuations.indices {
                let occupied = totals.occupiedTicks[index] &- open.totals.occupiedTicks[index]
                pendingBins.append(
                    CountBin(
                        binStartSeconds: UInt64(open.startSeconds), periodSeconds: UInt32(period),
                        detector: UInt16(index + 1),
                        volume: UInt32(clamping: totals.actuations[index] &- open.totals.actuations[index]),
                        occupancyPermille: UInt16(min(1000, occupied * 1000 / observedTicks)),
                        observedSeconds: observed))
            }
        }
        bin = OpenBin(startSeconds: nowSeconds / period * period, totals: totals, ticks: ticks)
    }

    // MARK: - Committing

    private func commit() {
        guard let store else {
            if !pendingEvents.isEmpty {
                ledger.state.withLock { $0.eventsDropped += UInt64(pendingEvents.count) }
                pendingEvents.removeAll()
            }
            pendingBins.removeAll()
            return
        }
        let acked = ledger.snapshot().marks
        let acksChanged = acked.eventsAcked > persistedAcks.events || acked.countsAcked > persistedAcks.counts
        guard !pendingEvents.isEmpty || !pendingBins.isEmpty || acksChanged else { return }
        do {
            let marks = try store.commit(
                events: pendingEvents, bins: pendingBins, acknowledgedEvents: acked.eventsAcked,
                acknowledgedCounts: acked.countsAcked)
            let (events, bins) = (pendingEvents.count, pendingBins.count)
            pendingEvents.removeAll(keepingCapacity: true)
            pendingBins.removeAll(keepingCapacity: true)
            persistedAcks = (marks.eventsAcked, marks.countsAcked)
            let recovered = ledger.state.withLock { state -> Bool in
                let wasFailing = state.storeFull || state.storeFailing
                state.marks.eventsFirst = marks.eventsFirst
                state.marks.eventsLast = marks.eventsLast
                state.marks.countsFirst = marks.countsFirst
                state.marks.countsLast = marks.countsLast
                state.marks.eventsAcked = max(state.marks.eventsAcked, marks.eventsAcked)
                state.marks.countsAcked = max(state.marks.countsAcked, marks.countsAcked)
                state.commits += 1
                state.eventsStored += UInt64(events)
                state.binsStored += UInt64(bins)
                state.storeFull = false
                state.storeFailing = false
                return wasFailing
            }
            if recovered { logger.notice("store writes again: \(store.path)") }
            logger.debug("store: committed \(events) events and \(bins) count bins, events through \(marks.eventsLast)")
        } catch .full {
            let first = ledger.state.withLock { state -> Bool in
                state.fullEvents += 1
                defer { state.storeFull = true }
                return !state.storeFull
            }
            if first { logger.error("store full at \(store.path): records wait in memory; the controller runs on") }
        } catch {
            let first = ledger.state.withLock { state -> Bool in
                state.errors += 1
                defer { state.storeFailing = true }
                return !state.storeFailing
            }
            if first { logger.error("store write failed: \(error); records wait in memory") }
        }
    }

    private func retain(nowSeconds: Int64) {
        guard let store else { return }
        do {
            let outcome = try store.enforceRetention(nowSeconds: UInt64(max(0, nowSeconds)))
            if outcome.eventsRemoved + outcome.countBinsRemoved > 0 {
                logger.info(
                    "store retention removed \(outcome.eventsRemoved) events and \(outcome.countBinsRemoved) count bins (\(outcome.unacknowledgedRemoved) never acknowledged)")
            }
            ledger.state.withLock { state in
                state.unackedRetired += UInt64(outcome.unacknowledgedRemoved)
                if let marks = try? store.marks() {
                    state.marks.eventsFirst = marks.eventsFirst
                    state.marks.countsFirst = marks.countsFirst
                }
            }
        } catch {
            logger.warning("store retention failed: \(error)")
        }
    }

    static func wallMilliseconds() -> Int64 {
        Syscall.realtimeMilliseconds()
    }
}
