import JunctionConfig
import Logging
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
    /// Outstanding records are sent again when no acknowledgement moved for this long.
    static let retransmitNanoseconds = 3_000_000_000
    /// The `centralSilent` alarm: records waiting and no acknowledgement for this long.
    static let silentNanoseconds = 30_000_000_000

    private let settings: UpstreamSettings
    private let engine: JunctionEngine
    private let ledger: UpstreamLedger
    private let socket: UpstreamSocket
    private let replayFile: UpstreamReplayFile
    private let reader: JunctionStore?
    private let loopOverruns: @Sendable () -> UInt64
    private let logger: Logger
    private let builder: UpstreamStatusBuilder
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
    private var forward = ForwardState()

    /// Where store-and-forward stands for the two record streams.
    private struct ForwardState {
        var eventsSent: UInt64 = 0
        var countsSent: UInt64 = 0
        var highestEventSent: UInt64 = 0
        var highestCountSent: UInt64 = 0
        var lastAcked = (events: UInt64(0), counts: UInt64(0))
        var lastProgressNanoseconds = 0
    }

    /// The last status report pushed upstream (its counters and alarms); nil before the first.
    func lastPushedReport() -> StatusReport? { lastPushed.withLock { $0 } }

    /// The port polls arrive at (useful when `listen` asked for any free port).
    var localPort: UInt16 { socket.localPort() }

    init(
        settings: UpstreamSettings, key: WireKey, bootId: UInt64, configHash: UInt64, engine: JunctionEngine,
        ledger: UpstreamLedger, reader: sending JunctionStore?, loopOverruns: @escaping @Sendable () -> UInt64,
        replayFile: UpstreamReplayFile, replayState: ReplayState, logger: Logger
    ) throws(SystemError) {
        self.settings = settings
        self.engine = engine
        self.ledger = ledger
        self.reader = reader
        self.loopOverruns = loopOverruns
        self.logger = logger
        self.replayFile = replayFile
        socket = try UpstreamSocket(binding: settings.listen)
        builder = UpstreamStatusBuilder(configHash: configHash)
        sealer = DatagramSealer(junctionId: settings.junctionId, senderId: 0, bootId: bootId, key: key)
        receiver = WireReceiver(
            role: .junction(id: settings.junctionId), keys: [settings.junctionId: key], maximumPeers: 8,
            restoring: replayState)
        let marks = ledger.snapshot().marks
        forward.eventsSent = marks.eventsAcked
        forward.countsSent = marks.countsAcked
        forward.lastAcked = (marks.eventsAcked, marks.countsAcked)
        forward.lastProgressNanoseconds = Syscall.monotonicNanoseconds()
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
        var nextReport = Syscall.monotonicNanoseconds()
        var previous = engine.board.withLock { ($0.status.mode, $0.status.stage) }
        while !stopRequested.load(ordering: .relaxed) {
            let wait = min(Self.wakeMilliseconds, max(0, (nextReport - Syscall.monotonicNanoseconds()) / 1_000_000))
            if socket.waitReadable(timeoutMilliseconds: wait) {
                receiveAll()
            }
            let current = engine.board.withLock { ($0.status.mode, $0.status.stage) }
            if current.0 != previous.0 || current.1 != previous.1 {
                pushStatus(reason: current.0 != previous.0 ? .modeChange : .stageChange)
                previous = current
            }
            let now = Syscall.monotonicNanoseconds()
            if now >= nextReport {
                pushStatus(reason: .periodic)
                forwardRecords(now: now)
                nextReport = max(nextReport + interval, now)
            }
        }
        pushStatus(reason: .modeChange)
    }

    // MARK: - Receiving

    private func receiveAll() {
        while let (count, source) = socket.receive(into: &buffer) {
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
        ledger.acknowledge(events: ack.eventsThrough, counts: ack.countsThrough)
        let marks = ledger.snapshot().marks
        if marks.eventsAcked > forward.lastAcked.events || marks.countsAcked > forward.lastAcked.counts {
            forward.lastAcked = (marks.eventsAcked, marks.countsAcked)
            forward.lastProgressNanoseconds = Syscall.monotonicNanoseconds()
        }
        forward.eventsSent = max(forward.eventsSent, marks.eventsAcked)
        forward.countsSent = max(forward.countsSent, marks.countsAcked)
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
            let records = events.prefix(limit * EventBatch.maximumRecords).map(Self.wireEvent)
            let split = EventBatch.split(
                records, requestId: poll.requestId, firstAvailable: marks.eventsFirst, storedThrough: marks.eventsLast,
                maximumDatagrams: limit, moreAfter: events.count > records.count)
            for batch in split.batches { send(.events(batch), to: source) }
        case .countsSince, .countsAfter:
            let fetch = limit * CountBatch.maximumRecords + 1
            let bins: [StoredCountBin]
            if case .countsSince(let seconds) = poll.query {
                bins = (try? reader?.countBins(startingAtOrAfter: seconds, limit: fetch)) ?? []
            } else if case .countsAfter(let record) = poll.query {
                bins = (try? reader?.countBins(after: record, limit: fetch)) ?? []
            } else {
                bins = []
            }
            let records = bins.prefix(fetch - 1).map(Self.wireBin)
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
        let (status, engineCounters) = engine.board.withLock { ($0.status.detached(), $0.counters) }
        let unconfirmed = engineCounters.unconfirmedOutputTicks
        defer { lastUnconfirmedTicks = unconfirmed }
        let now = Syscall.monotonicNanoseconds()
        let ledgerState = ledger.snapshot()
        let waiting = ledgerState.marks.eventsLast > ledgerState.marks.eventsAcked
            || ledgerState.marks.countsLast > ledgerState.marks.countsAcked
        let inputs = UpstreamStatusBuilder.Inputs(
            engine: engineCounters, loopOverruns: loopOverruns(), ledger: ledgerState, drops: receiver.drops,
            kernelDrops: socket.kernelDrops, accepted: receiver.accepted, sent: sent, sendErrors: sendErrors,
            resent: resent, pollsAnswered: pollsAnswered, replaySaveErrors: replaySaveErrors, outputUnconfirmedRecently: unconfirmed > lastUnconfirmedTicks,
            centralSilent: waiting && now - forward.lastProgressNanoseconds > Self.silentNanoseconds)
        return builder.report(status, inputs, reason: reason, requestId: requestId)
    }

    /// Pushes up to `burst` datagrams of unacknowledged records to the first central: events
    /// first, then count bins. Goes back to the acknowledged mark when acks stall (go-back-N).
    private func forwardRecords(now: Int) {
        guard let reader, let central = settings.centrals.first else { return }
        let marks = ledger.snapshot().marks
        let outstanding = forward.eventsSent > marks.eventsAcked || forward.countsSent > marks.countsAcked
        if outstanding && now - forward.lastProgressNanoseconds > Self.retransmitNanoseconds {
            forward.eventsSent = marks.eventsAcked
            forward.countsSent = marks.countsAcked
            forward.lastProgressNanoseconds = now
        }
        if !outstanding { forward.lastProgressNanoseconds = now }
        var budget = settings.burst
        // Never run further ahead of the acknowledged mark than a few bursts.
        let window = UInt64(settings.burst * 4)
        let eventWindow = marks.eventsAcked + window * UInt64(EventBatch.maximumRecords)
        if budget > 0, forward.eventsSent < min(marks.eventsLast, eventWindow) {
            let limit = Int(min(marks.eventsLast, eventWindow) - forward.eventsSent)
            let events = ((try? reader.events(after: forward.eventsSent, limit: min(limit, budget * EventBatch.maximumRecords))) ?? [])
                .map(Self.wireEvent)
            let split = EventBatch.split(
                events, requestId: 0, firstAvailable: marks.eventsFirst, storedThrough: marks.eventsLast,
                maximumDatagrams: budget)
            for var batch in split.batches where !batch.records.isEmpty {
                batch.part = 0
                batch.parts = 1
                batch.moreAvailable = false
                send(.events(batch), to: central)
                resent += UInt64(batch.records.filter { $0.recordNumber <= forward.highestEventSent }.count)
                forward.eventsSent = batch.records[batch.records.count - 1].recordNumber
                forward.highestEventSent = max(forward.highestEventSent, forward.eventsSent)
                budget -= 1
            }
            // Records removed by retention leave nothing to send below the first one held.
            if events.isEmpty { forward.eventsSent = min(marks.eventsLast, eventWindow) }
        }
        let countWindow = marks.countsAcked + window * UInt64(CountBatch.maximumRecords)
        if budget > 0, forward.countsSent < min(marks.countsLast, countWindow) {
            let limit = Int(min(marks.countsLast, countWindow) - forward.countsSent)
            let bins = ((try? reader.countBins(after: forward.countsSent, limit: min(limit, budget * CountBatch.maximumRecords))) ?? [])
                .map(Self.wireBin)
            let split = CountBatch.split(
                bins, requestId: 0, firstAvailable: marks.countsFirst, storedThrough: marks.countsLast,
                maximumDatagrams: budget)
            for var batch in split.batches where !batch.records.isEmpty {
                batch.part = 0
                batch.parts = 1
                batch.moreAvailable = false
                send(.counts(batch), to: central)
                resent += UInt64(batch.records.filter { $0.recordNumber <= forward.highestCountSent }.count)
                forward.countsSent = batch.records[batch.records.count - 1].recordNumber
                forward.highestCountSent = max(forward.highestCountSent, forward.countsSent)
                budget -= 1
            }
            if bins.isEmpty { forward.countsSent = min(marks.countsLast, countWindow) }
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

    private static func wireEvent(_ event: StoredEvent) -> EventRecord {
        EventRecord(
            recordNumber: event.recordNumber, timeMilliseconds: event.timeMilliseconds, code: event.code,
            parameter: event.parameter)
    }

    private static func wireBin(_ bin: StoredCountBin) -> CountBin {
        CountBin(
            recordNumber: bin.recordNumber, binStartSeconds: bin.binStartSeconds, periodSeconds: bin.periodSeconds,
            detector: bin.detector, volume: bin.volume, occupancyPermille: bin.occupancyPermille,
            observedSeconds: bin.observedSeconds)
    }
}
