import JunctionConfig
import Logging
import RealTimeEngine
import SignalCore
import Store
import Synchronization
import SystemInterface
import Wire

/// The upstream thread: pushes status reports (every report interval and at once on every stage
/// or mode change), answers polls, and forwards the store's records to the first central until
/// they are acknowledged (docs/protocol.md).
///
/// Every received datagram goes through one `WireReceiver`; anything it refuses is counted and
/// never answered, and only configured centrals are heard at all. Its replay windows are saved
/// (`UpstreamReplayFile`) after every accepted datagram and before it is acted on, so nothing
/// answered before a restart is answered again; a datagram whose acceptance cannot be saved is
/// not acted on.
final class UpstreamService: @unchecked Sendable {
    /// Longest sleep between looks at the board, so a stage change goes out within this.
    static let wakeMilliseconds = 50
    /// Most datagrams taken per pass (`receiveSome`).
    static let datagramsPerPass = 256
    /// Outstanding records are sent again when for this long no acknowledgement moved and they
    /// were not sent again (go-back-N).
    static let retransmitNanoseconds = 3_000_000_000
    /// The `centralSilent` alarm: records waiting and no acknowledgement that moved a mark for this long.
    static let silentNanoseconds = 30_000_000_000

    let settings: UpstreamSettings
    private let engine: JunctionEngine
    private let ledger: UpstreamLedger
    /// Internal, not private, so a test can shrink its queue and flood it.
    let socket: UpstreamSocket
    private let replayFile: UpstreamReplayFile
    private let reader: JunctionStore?
    private let loopOverruns: @Sendable () -> UInt64
    private let neighbourCounters: @Sendable () -> [StatusCounter: UInt64]
    private let logger: Logger
    /// The digest of the junction file in force; a reload replaces it.
    private let configHash: Atomic<UInt64>
    /// The clock of every deadline here (report cadence, retransmit, silence); tests hand in a `ManualClock`.
    private let clock: any MonotonicClock
    private let stopRequested = Atomic<Bool>(false)
    /// The last report pushed, for `junctionctl status` (read from the diagnostic thread).
    private let lastPushed = Mutex<StatusReport?>(nil)
    private var thread: PosixThread?

    private var sealer: DatagramSealer
    private var receiver: WireReceiver
    private var buffer = [UInt8](repeating: 0, count: 2048)
    private var sent: UInt64 = 0
    private var sendErrors: UInt64 = 0
    private var resent: UInt64 = 0
    private var pollsAnswered: UInt64 = 0
    private var replaySaveErrors: UInt64 = 0
    private var replaySaveFailing = false
    private var lastUnconfirmedTicks: UInt64 = 0
    private var forward: ForwardState

    /// Where store-and-forward stands for the two record streams (the rules are Wire's `RecordForwarder`),
    /// and its two clocks: a resend restarts the first and never the second, as a resend is no sign
    /// that central hears.
    private struct ForwardState {
        var events: RecordForwarder
        var counts: RecordForwarder
        /// When an acknowledgement last moved a mark, the outstanding records were last sent again,
        /// or nothing was outstanding: go-back-N counts `retransmitNanoseconds` from here.
        var retransmitFromNanoseconds: Int
        /// When an acknowledgement last moved a mark, or records last began to wait (nothing
        /// waited on the pass before): `centralSilent` counts `silentNanoseconds` from here.
        var silentFromNanoseconds: Int
    }

    /// The last status report pushed upstream (its counters and alarms); nil before the first.
    func lastPushedReport() -> StatusReport? { lastPushed.withLock { $0 } }

    /// Reports `hash` as `config_hash` from the next report on (a reload's file).
    func replaceConfigHash(_ hash: UInt64) {
        configHash.store(hash, ordering: .relaxed)
    }

    /// The port polls arrive at (useful when `listen` asked for any free port).
    var localPort: UInt16 { socket.localPort() }

    init(
        settings: UpstreamSettings, key: WireKey, bootId: UInt64, configHash: UInt64, engine: JunctionEngine,
        ledger: UpstreamLedger, reader: sending JunctionStore?, loopOverruns: @escaping @Sendable () -> UInt64,
        replayFile: UpstreamReplayFile, replayState: ReplayState, logger: Logger,
        clock: any MonotonicClock = SystemClock(), neighbourCounters: @escaping @Sendable () -> [StatusCounter: UInt64] = { [:] }
    ) throws(SystemError) {
        self.neighbourCounters = neighbourCounters
        self.clock = clock
        self.settings = settings
        self.engine = engine
        self.ledger = ledger
        self.reader = reader
        self.loopOverruns = loopOverruns
        self.logger = logger
        self.replayFile = replayFile
        socket = try UpstreamSocket(binding: settings.listen)
        self.configHash = Atomic(configHash)
        sealer = DatagramSealer(junctionId: settings.junctionId, senderId: 0, bootId: bootId, key: key)
        receiver = WireReceiver(
            role: .junction(id: settings.junctionId), keys: [settings.junctionId: key], maximumPeers: 8,
            restoring: replayState)
        let marks = ledger.snapshot().marks
        let now = clock.nowNanoseconds()
        forward = ForwardState(
            events: RecordForwarder(acknowledged: marks.eventsAcked),
            counts: RecordForwarder(acknowledged: marks.countsAcked),
            retransmitFromNanoseconds: now, silentFromNanoseconds: now)
    }

    func start() throws(SystemError) {
        thread = try PosixThread(name: "upstream") { [self] in run() }
    }

    /// Sends a last status report (the junction is in flash by then) and stops the thread.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        thread?.join()
        thread = nil
    }

    private func run() {
        let interval = settings.reportIntervalTenths * 100_000_000
        var nextReport = clock.nowNanoseconds()
        var previous = engine.board.withLock { ($0.status.mode, $0.status.stage) }
        while !stopRequested.load(ordering: .relaxed) {
            // The one reading of the clock on a pass without a report, so a test that moved it
            // can tell a whole pass has seen the move.
            let now = clock.nowNanoseconds()
            // Every pass, so the silence is counted from within a pass of when records began to wait.
            if !Self.recordsWait(ledger.snapshot().marks) { forward.silentFromNanoseconds = now }
            if now >= nextReport {
                pushStatus(reason: .periodic)
                forwardRecords(now: now)
                nextReport = max(nextReport + interval, now)
            }
            // A real timeout on the socket, bounded by the clock's next deadline (rounded up, or
            // the last millisecond before it would be spent spinning) and by the board's wake-up.
            let wait = min(Self.wakeMilliseconds, (nextReport - now + 999_999) / 1_000_000)
            if socket.waitReadable(timeoutMilliseconds: wait) {
                receiveSome()
            }
            let current = engine.board.withLock { ($0.status.mode, $0.status.stage) }
            if current.0 != previous.0 || current.1 != previous.1 {
                pushStatus(reason: current.0 != previous.0 ? .modeChange : .stageChange)
                previous = current
            }
        }
        pushStatus(reason: .modeChange)
    }

    // MARK: - Receiving

    /// Takes at most `datagramsPerPass` datagrams: under a flood (a spoofed central's address costs
    /// an HMAC check each) the pass still goes on to report, forward records and see a stop request,
    /// and the rest wait in the socket for the next pass. Internal, not private, so a test can make
    /// one pass.
    func receiveSome() {
        var taken = 0
        // A pass that stops at the limit reads the kernel's drop count itself: the queue may be
        // empty by then, and an empty queue wakes no later pass to find it so.
        defer { if taken == Self.datagramsPerPass { socket.readKernelDrops() } }
        while taken < Self.datagramsPerPass, let (count, source) = socket.receive(into: &buffer) {
            taken += 1
            guard settings.centrals.contains(source) else {
                receiver.count(.unknownPeer)
                continue
            }
            let length = min(count, buffer.count)
            let bytes = count > buffer.count ? buffer[...] + [0] : buffer[0..<length]
            guard let datagram = receiver.receive(bytes), saveReplayState() else { continue }
            switch datagram.message {
            case .poll(let poll): answer(poll, to: source)
            case .ack(let ack): acknowledge(ack)
            case .status, .events, .counts: break  // the receiver's role refuses these
            }
        }
    }

    /// Saves the receiver's replay windows; false (counted, logged when it starts and stops
    /// failing) when the disk refuses, and the datagram just accepted is then not acted on.
    private func saveReplayState() -> Bool {
        do {
            try replayFile.save(receiver.replayState)
        } catch {
            replaySaveErrors += 1
            if !replaySaveFailing {
                replaySaveFailing = true
                logger.error(
                    "upstream: cannot save the replay state \(replayFile.path): \(error); polls and acknowledgements are not acted on until it can be saved")
            }
            return false
        }
        if replaySaveFailing {
            replaySaveFailing = false
            logger.notice("upstream: the replay state is saved again after \(replaySaveErrors) failures")
        }
        return true
    }

    private func acknowledge(_ ack: Acknowledgement) {
        let marks = ledger.snapshot().marks
        let eventsMoved = forward.events.acknowledge(through: ack.eventsThrough, storedThrough: marks.eventsLast)
        let countsMoved = forward.counts.acknowledge(through: ack.countsThrough, storedThrough: marks.countsLast)
        guard eventsMoved || countsMoved else { return }
        ledger.acknowledged(events: forward.events.acknowledged, counts: forward.counts.acknowledged)
        let now = clock.nowNanoseconds()
        forward.retransmitFromNanoseconds = now
        forward.silentFromNanoseconds = now
    }

    private func answer(_ poll: PollRequest, to source: UpstreamSettings.Address) {
        pollsAnswered += 1
        let limit = min(Int(poll.maximumDatagrams), PollRequest.answerLimit)
        let marks = ledger.snapshot().marks
        switch poll.query {
        case .status:
            send(.status(statusReport(reason: .pollAnswer, requestId: poll.requestId)), to: source)
        case .eventsAfter(let record):
            let events = (try? reader?.events(after: record, limit: limit * EventBatch.maximumRecords + 1)) ?? []
            let records = Array(events.prefix(limit * EventBatch.maximumRecords))
            let split = EventBatch.split(
                records, requestId: poll.requestId, firstAvailable: marks.eventsFirst, storedThrough: marks.eventsLast,
                maximumDatagrams: limit, moreAfter: events.count > records.count)
            for batch in split.batches { send(.events(batch), to: source) }
        case .countsSince, .countsAfter:
            let fetch = limit * CountBatch.maximumRecords + 1
            let bins: [CountBin]
            if case .countsSince(let seconds) = poll.query {
                bins = (try? reader?.countBins(startingAtOrAfter: seconds, limit: fetch)) ?? []
            } else if case .countsAfter(let record) = poll.query {
                bins = (try? reader?.countBins(after: record, limit: fetch)) ?? []
            } else {
                bins = []
            }
            let records = Array(bins.prefix(fetch - 1))
            let split = CountBatch.split(
                records, requestId: poll.requestId, firstAvailable: marks.countsFirst, storedThrough: marks.countsLast,
                maximumDatagrams: limit, moreAfter: bins.count > records.count)
            for batch in split.batches { send(.counts(batch), to: source) }
        }
    }

    // MARK: - Sending

    private func pushStatus(reason: StatusReport.Reason) {
        let report = statusReport(reason: reason, requestId: 0)
        for central in settings.centrals { send(.status(report), to: central) }
        lastPushed.withLock { $0 = report }
    }

    private func statusReport(reason: StatusReport.Reason, requestId: UInt32) -> StatusReport {
        let (status, engineCounters, clockStatus) = engine.board.withLock {
            ($0.status.detached(), $0.counters, $0.clock)
        }
        let unconfirmed = engineCounters.unconfirmedOutputTicks
        defer { lastUnconfirmedTicks = unconfirmed }
        let now = clock.nowNanoseconds()
        let ledgerState = ledger.snapshot()
        let inputs = UpstreamStatusBuilder.Inputs(
            engine: engineCounters, loopOverruns: loopOverruns(), ledger: ledgerState, drops: receiver.drops,
            kernelDrops: socket.kernelDrops, accepted: receiver.accepted, sent: sent, sendErrors: sendErrors,
            resent: resent, pollsAnswered: pollsAnswered, replaySaveErrors: replaySaveErrors, outputUnconfirmedRecently: unconfirmed > lastUnconfirmedTicks,
            centralSilent: Self.recordsWait(ledgerState.marks) && now - forward.silentFromNanoseconds > Self.silentNanoseconds,
            neighbours: neighbourCounters(),
            nextPlanChangeSeconds: UpstreamStatusBuilder.secondsToNextChange(engine.scheduleOutlook.withLock { $0 }),
            clock: clockStatus.reading == nil ? nil : clockStatus)
        return UpstreamStatusBuilder(configHash: configHash.load(ordering: .relaxed))
            .report(status, inputs, reason: reason, requestId: requestId)
    }

    /// Records stored and not yet acknowledged, in either stream.
    private static func recordsWait(_ marks: StoreMarks) -> Bool {
        marks.eventsLast > marks.eventsAcked || marks.countsLast > marks.countsAcked
    }

    /// Pushes up to `burst` datagrams of unacknowledged records to the first central: events
    /// first, then count bins. Goes back to the acknowledged mark when acks stall (go-back-N).
    private func forwardRecords(now: Int) {
        guard let reader, let central = settings.centrals.first else { return }
        let marks = ledger.snapshot().marks
        let outstanding = forward.events.outstanding || forward.counts.outstanding
        if outstanding && now - forward.retransmitFromNanoseconds > Self.retransmitNanoseconds {
            forward.events.rewind()
            forward.counts.rewind()
            forward.retransmitFromNanoseconds = now
        }
        if !outstanding { forward.retransmitFromNanoseconds = now }
        var budget = settings.burst
        push(
            &forward.events, first: marks.eventsFirst, last: marks.eventsLast, budget: &budget, to: central,
            read: { (after, limit) throws(StoreError) in try reader.events(after: after, limit: limit) },
            message: WireMessage.events)
        push(
            &forward.counts, first: marks.countsFirst, last: marks.countsLast, budget: &budget, to: central,
            read: { (after, limit) throws(StoreError) in try reader.countBins(after: after, limit: limit) },
            message: WireMessage.counts)
    }

    /// Pushes one stream's due records, one datagram per batch, while `budget` (datagrams) lasts.
    private func push<Record: WireRecord>(
        _ forwarder: inout RecordForwarder, first: UInt64, last: UInt64, budget: inout Int,
        to central: UpstreamSettings.Address, read: (UInt64, Int) throws(StoreError) -> [Record],
        message: (RecordBatch<Record>) -> WireMessage
    ) {
        // Never run further ahead of the acknowledged mark than a few bursts.
        let window = UInt64(settings.burst * 4 * RecordBatch<Record>.maximumRecords)
        let due = forwarder.due(
            storedThrough: last, window: window, budget: budget * RecordBatch<Record>.maximumRecords)
        guard due > 0 else { return }
        let records = (try? read(forwarder.sentThrough, due)) ?? []
        guard !records.isEmpty else {
            forwarder.skipRetired(storedThrough: last, window: window)
            return
        }
        let split = RecordBatch<Record>.split(
            records, requestId: 0, firstAvailable: first, storedThrough: last, maximumDatagrams: budget)
        for var batch in split.batches where !batch.records.isEmpty {
            batch.part = 0
            batch.parts = 1
            batch.moreAvailable = false
            send(message(batch), to: central)
            resent += UInt64(forwarder.sent(batch.records))
            budget -= 1
        }
    }

    private func send(_ message: WireMessage, to address: UpstreamSettings.Address) {
        let bytes = sealer.seal(message, timeMilliseconds: UInt64(max(0, StoreWriter.wallMilliseconds())))
        if socket.send(bytes, to: address) {
            sent += 1
        } else {
            sendErrors += 1
        }
    }
}
