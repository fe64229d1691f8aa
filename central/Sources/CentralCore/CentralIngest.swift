import Wire

/// central's receive path and the duties that follow from it, with no sockets and no clock of its own.
///
/// `receive` checks a datagram in the order of docs/protocol.md (frame, tag, role, replay window, payload), counts
/// every refusal by reason, and queues what it accepted: live state for the board, rows for the store. `service`
/// commits the queue, acknowledges what the commit holds, and sends the polls that are due. What to send comes
/// back as `Outgoing` datagrams; the caller owns the socket. Only datagrams that passed every check ever cause a
/// datagram to be sent, so central cannot be used to reflect traffic.
///
/// Not thread-safe: one thread (the ingest loop) owns it. It shares only the `CityBoard`, under the board's lock.
public final class CentralIngest {
    /// A datagram to send.
    public struct Outgoing: Sendable, Equatable {
        public var bytes: [UInt8]
        public var address: SocketAddress
    }

    /// Out-of-order records tracked per junction above its contiguous mark; beyond this they are not kept (the
    /// junction resends them after central acknowledges the gap closed).
    public static let maximumRecordsAboveGap = 50_000
    /// Status reports between two acknowledgements at most, even when nothing new was stored.
    public static let reportsPerAck = 5
    /// Datagrams asked for by one poll.
    public static let pollDatagrams: UInt8 = 16

    private let config: CityConfig
    private let store: CentralStore
    private let board: CityBoard
    private var peers: [JunctionPeer]
    private let slots: [UInt32: Int]
    private var batch = StoreBatch()
    private var drops = DropCounters()
    private var counters = CentralCounters()
    private var outgoing: [Outgoing] = []
    /// Status changes waiting for the next `publish`, by slot.
    private var liveUpdates: [(slot: Int, header: WireHeader, report: StatusReport?, address: SocketAddress)] = []
    private var lastCommitMilliseconds: Int64 = 0
    private var lastPruneMilliseconds: Int64 = 0
    private var nextRequestID: UInt32
    private var storeProblem: String?
    private var boardDirty = false

    /// An ingest for the junctions of `config`, resuming from the cursors in `store`; `bootID` numbers central's
    /// own datagrams for this run (from `CentralStore.nextBootID`).
    public init(config: CityConfig, store: CentralStore, board: CityBoard, bootID: UInt64) throws(SQLiteError) {
        self.config = config
        self.store = store
        self.board = board
        let cursors = try store.cursors()
        peers = config.junctions.map {
            JunctionPeer(
                entry: $0, centralID: config.centralID, centralBootID: bootID, cursor: cursors[$0.id] ?? JunctionCursor())
        }
        var slots: [UInt32: Int] = [:]
        for (slot, peer) in peers.enumerated() { slots[peer.id] = slot }
        self.slots = slots
        nextRequestID = UInt32(truncatingIfNeeded: bootID) | 1
        board.update { state in
            for peer in peers {
                state.updateJunction(peer.id) {
                    $0.eventsHeldThrough = peer.committed.eventsThrough
                    $0.countsHeldThrough = peer.committed.countsThrough
                }
            }
        }
    }

    /// Checks and takes in one received datagram. Refusals are counted by reason and never answered.
    public func receive(_ bytes: UnsafeRawBufferPointer, from source: SocketAddress, nowMilliseconds: Int64) {
        counters.datagramsReceived &+= 1
        let copy = Array(bytes)
        do {
            let datagram = try open(copy[...])
            counters.datagramsAccepted &+= 1
            accept(datagram, from: source, nowMilliseconds: nowMilliseconds)
        } catch {
            drops.count(error.dropReason)
        }
        boardDirty = true
    }

    /// The checks of docs/protocol.md in its order; the window moves only for a datagram that passed them all.
    private func open(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Datagram {
        let frame = try DatagramOpener.authenticate(bytes) { [slots, peers] id in slots[id].map { peers[$0].key } }
        let header = frame.header
        guard header.type.travelsUpstream, header.senderId == WireFormat.junctionSenderId else {
            throw .unexpectedType
        }
        // authenticate found the key, so the slot exists.
        let slot = slots[header.junctionId]!
        try peers[slot].window.check(bootId: header.bootId, sequence: header.sequence)
        let datagram = try frame.decode()
        peers[slot].window.accept(bootId: header.bootId, sequence: header.sequence)
        return datagram
    }

    private func accept(_ datagram: Datagram, from source: SocketAddress, nowMilliseconds: Int64) {
        let header = datagram.header
        let slot = slots[header.junctionId]!
        peers[slot].address = source
        switch datagram.message {
        case .status(let report):
            acceptStatus(report, header: header, slot: slot, source: source, nowMilliseconds: nowMilliseconds)
        case .events(let events):
            counters.eventBatches &+= 1
            acceptEvents(events, slot: slot, nowMilliseconds: nowMilliseconds)
            liveUpdates.append((slot, header, nil, source))
        case .counts(let counts):
            counters.countBatches &+= 1
            acceptCounts(counts, slot: slot, nowMilliseconds: nowMilliseconds)
            liveUpdates.append((slot, header, nil, source))
        case .poll, .ack:
            // open() refused every type that does not travel upstream.
            break
        }
    }

    private func acceptStatus(
        _ report: StatusReport, header: WireHeader, slot: Int, source: SocketAddress, nowMilliseconds: Int64
    ) {
        counters.statusReports &+= 1
        batch.reports.append(
            StoredReport(
                junctionID: header.junctionId, bootID: header.bootId, sequence: header.sequence,
                receivedMilliseconds: nowMilliseconds, mode: report.mode.rawValue, stage: report.stage,
                alarms: report.alarms.rawValue))
        var peer = peers[slot]
        peer.lastReportMilliseconds = nowMilliseconds
        peer.junctionEventsStored = report.eventsStoredThrough
        peer.junctionCountsStored = report.countsStoredThrough
        peer.junctionEventsAcked = report.eventsAckedThrough
        peer.junctionCountsAcked = report.countsAckedThrough
        peer.reportsSinceAck += 1
        // The junction's marks show it missed an ack (lost on the way): say again what central holds.
        if report.eventsAckedThrough < peer.committed.eventsThrough || report.countsAckedThrough < peer.committed.countsThrough
            || peer.reportsSinceAck >= Self.reportsPerAck
        {
            peer.ackDue = true
        }
        if peer.received.bootID != header.bootId {
            peer.received.bootID = header.bootId
            batch.cursors[peer.id] = peer.received
        }
        peers[slot] = peer
        liveUpdates.append((slot, header, report, source))
    }

    private func acceptEvents(_ events: EventBatch, slot: Int, nowMilliseconds: Int64) {
        var peer = peers[slot]
        let before = peer.received.eventsThrough
        peer.received.eventsThrough = skipRetired(
            through: peer.received.eventsThrough, firstAvailable: events.firstAvailable, above: &peer.eventsAbove)
        for record in events.records {
            if record.recordNumber <= peer.received.eventsThrough || peer.eventsAbove.contains(record.recordNumber) {
                counters.duplicateRecords &+= 1
                continue
            }
            guard peer.eventsAbove.count < Self.maximumRecordsAboveGap else {
                counters.outOfOrderOverflow &+= 1
                continue
            }
            peer.eventsAbove.insert(record.recordNumber)
            batch.events.append(
                StoredEvent(
                    junctionID: peer.id, recordNumber: record.recordNumber,
                    timeMilliseconds: Int64(clamping: record.timeMilliseconds), code: record.code,
                    parameter: Int32(record.parameter)))
        }
        peer.received.eventsThrough = Self.advance(peer.received.eventsThrough, above: &peer.eventsAbove)
        if events.requestId != 0 && events.part == events.parts - 1 { peer.eventsMore = events.moreAvailable }
        if peer.received.eventsThrough != before {
            peer.lastEventProgressMilliseconds = nowMilliseconds
            batch.cursors[peer.id] = peer.received
        }
        peer.ackDue = true
        peers[slot] = peer
    }

    private func acceptCounts(_ counts: CountBatch, slot: Int, nowMilliseconds: Int64) {
        var peer = peers[slot]
        let before = peer.received.countsThrough
        // Bins asked for by time (the first-contact backfill) may start above a gap; they wait above the mark.
        peer.received.countsThrough = skipRetired(
            through: peer.received.countsThrough, firstAvailable: counts.firstAvailable, above: &peer.countsAbove)
        for bin in counts.records {
            if bin.recordNumber <= peer.received.countsThrough || peer.countsAbove.contains(bin.recordNumber) {
                counters.duplicateRecords &+= 1
                continue
            }
            guard peer.countsAbove.count < Self.maximumRecordsAboveGap else {
                counters.outOfOrderOverflow &+= 1
                continue
            }
            peer.countsAbove.insert(bin.recordNumber)
            batch.counts.append(
                StoredCount(
                    junctionID: peer.id, recordNumber: bin.recordNumber, detector: Int(bin.detector),
                    startSeconds: Int64(clamping: bin.binStartSeconds), periodSeconds: Int(bin.periodSeconds),
                    volume: Int(bin.volume), occupancyPermille: Int(bin.occupancyPermille),
                    observedSeconds: Int(bin.observedSeconds)))
        }
        peer.received.countsThrough = Self.advance(peer.received.countsThrough, above: &peer.countsAbove)
        if counts.requestId != 0 && counts.part == counts.parts - 1 { peer.countsMore = counts.moreAvailable }
        if peer.received.countsThrough != before {
            peer.lastCountProgressMilliseconds = nowMilliseconds
            batch.cursors[peer.id] = peer.received
        }
        peer.ackDue = true
        peers[slot] = peer
    }

    /// Records below the junction's first available number were removed by its retention: they count as held
    /// (docs/protocol.md, `ack`), and how many central never got is counted.
    private func skipRetired(through: UInt64, firstAvailable: UInt64, above: inout Set<UInt64>) -> UInt64 {
        guard firstAvailable > through + 1 else { return through }
        let retired = firstAvailable - 1 - through
        let alreadyAbove = UInt64(above.filter { $0 < firstAvailable }.count)
        counters.recordsLostAtJunction &+= retired - alreadyAbove
        above = above.filter { $0 >= firstAvailable }
        return firstAvailable - 1
    }

    /// Moves a contiguous mark over the records held just above it.
    static func advance(_ mark: UInt64, above: inout Set<UInt64>) -> UInt64 {
        var mark = mark
        while above.remove(mark + 1) != nil { mark += 1 }
        return mark
    }

    /// Puts the live state gathered since the last call on the board, under one lock.
    public func publish() {
        guard boardDirty else { return }
        boardDirty = false
        let updates = liveUpdates
        liveUpdates.removeAll(keepingCapacity: true)
        let drops = self.drops
        let counters = self.counters
        let storeProblem = self.storeProblem
        board.update { state in
            for update in updates {
                let peer = peers[update.slot]
                state.updateJunction(peer.id) { live in
                    if let report = update.report {
                        live.status = report
                        live.bootID = update.header.bootId
                        live.lastReportMilliseconds = peer.lastReportMilliseconds
                        live.junctionTimeMilliseconds = update.header.timeMilliseconds
                        live.reportsAccepted &+= 1
                    }
                    live.address = update.address
                }
            }
            state.drops = drops
            state.counters = counters
            state.storeProblem = storeProblem
        }
    }

    /// Commits when due, acknowledges what is committed, sends the polls that are due and prunes old history.
    /// Returns the datagrams to send.
    public func service(nowMilliseconds: Int64) -> [Outgoing] {
        if nowMilliseconds - lastCommitMilliseconds >= Int64(config.commitIntervalMilliseconds) {
            commit(nowMilliseconds: nowMilliseconds)
        }
        sendAcks(nowMilliseconds: nowMilliseconds)
        sendPolls(nowMilliseconds: nowMilliseconds)
        if nowMilliseconds - lastPruneMilliseconds >= 3_600_000 {
            lastPruneMilliseconds = nowMilliseconds
            do {
                try store.prune(
                    nowMilliseconds: nowMilliseconds, reportRetentionHours: config.reportRetentionHours,
                    recordRetentionDays: config.recordRetentionDays)
            } catch {
                noteStoreFailure(error)
            }
        }
        publish()
        let result = outgoing
        outgoing.removeAll(keepingCapacity: true)
        return result
    }

    /// Counts a datagram that could not be sent (a full socket buffer, an unreachable junction).
    public func countSendError() {
        counters.sendErrors &+= 1
        boardDirty = true
    }

    /// Writes the queued rows now, in one transaction, and marks the junctions whose records it holds for an ack.
    public func commit(nowMilliseconds: Int64) {
        lastCommitMilliseconds = nowMilliseconds
        guard !batch.isEmpty else { return }
        do {
            let outcome = try store.commit(batch)
            counters.commits &+= 1
            counters.reportsStored &+= UInt64(outcome.reportsStored)
            counters.eventsStored &+= UInt64(outcome.eventsStored)
            counters.countsStored &+= UInt64(outcome.countsStored)
            // A record that was stored before central restarted arrives again as new to the marks: still a duplicate.
            counters.duplicateRecords &+= UInt64(outcome.eventsDuplicate + outcome.countsDuplicate)
            storeProblem = nil
            for junctionID in batch.cursors.keys {
                let slot = slots[junctionID]!
                peers[slot].committed = peers[slot].received
                peers[slot].ackDue = true
            }
            board.update { state in
                for junctionID in batch.cursors.keys {
                    let committed = peers[slots[junctionID]!].committed
                    state.updateJunction(junctionID) {
                        $0.eventsHeldThrough = committed.eventsThrough
                        $0.countsHeldThrough = committed.countsThrough
                    }
                }
            }
        } catch {
            counters.reportsNotStored &+= UInt64(batch.reports.count)
            noteStoreFailure(error)
            // Nothing of the batch is held: forget it, and the junctions resend what central never acknowledged.
            for junctionID in batch.cursors.keys {
                let slot = slots[junctionID]!
                peers[slot].received = peers[slot].committed
                peers[slot].eventsAbove.removeAll()
                peers[slot].countsAbove.removeAll()
            }
        }
        batch.removeAll()
        boardDirty = true
    }

    private func noteStoreFailure(_ error: SQLiteError) {
        counters.storeErrors &+= 1
        if error.isDiskFull { counters.storeFull &+= 1 }
        storeProblem = error.isDiskFull ? "disk full: \(error)" : "\(error)"
        boardDirty = true
    }

    private func sendAcks(nowMilliseconds: Int64) {
        for slot in peers.indices where peers[slot].ackDue {
            guard let address = peers[slot].destination else { continue }
            peers[slot].ackDue = false
            peers[slot].reportsSinceAck = 0
            let ack = Acknowledgement(
                eventsThrough: peers[slot].committed.eventsThrough, countsThrough: peers[slot].committed.countsThrough)
            send(.ack(ack), slot: slot, to: address, nowMilliseconds: nowMilliseconds)
            counters.acksSent &+= 1
        }
    }

    /// Polls: status for a junction gone quiet; events or count bins when the junction holds records central lacks
    /// and its own pushes have not moved central's marks for a poll interval (or a poll answer said "more").
    private func sendPolls(nowMilliseconds: Int64) {
        let interval = Int64(config.pollIntervalMilliseconds)
        let stale = Int64(config.staleAfterMilliseconds)
        for slot in peers.indices {
            var peer = peers[slot]
            guard let address = peer.destination else { continue }
            if nowMilliseconds - peer.lastReportMilliseconds > stale
                && nowMilliseconds - peer.lastStatusPollMilliseconds > stale
            {
                peer.lastStatusPollMilliseconds = nowMilliseconds
                peers[slot] = peer
                poll(.status, slot: slot, to: address, nowMilliseconds: nowMilliseconds)
                continue
            }
            guard peer.lastReportMilliseconds > 0 else { continue }
            let eventsBehind = peer.junctionEventsStored > peer.received.eventsThrough
            if peer.eventsMore
                || (eventsBehind && nowMilliseconds - peer.lastEventProgressMilliseconds > interval
                    && nowMilliseconds - peer.lastEventPollMilliseconds > interval)
            {
                peer.eventsMore = false
                peer.lastEventPollMilliseconds = nowMilliseconds
                peers[slot] = peer
                poll(.eventsAfter(peer.received.eventsThrough), slot: slot, to: address, nowMilliseconds: nowMilliseconds)
            }
            if !peer.countsBackfillAsked && peer.received.countsThrough == 0 && peer.junctionCountsStored > 0 {
                peer.countsBackfillAsked = true
                peer.lastCountPollMilliseconds = nowMilliseconds
                peers[slot] = peer
                let since = UInt64(max(0, nowMilliseconds / 1000 - 86_400))
                poll(.countsSince(since), slot: slot, to: address, nowMilliseconds: nowMilliseconds)
                continue
            }
            let countsBehind = peer.junctionCountsStored > peer.received.countsThrough
            if peer.countsMore
                || (countsBehind && nowMilliseconds - peer.lastCountProgressMilliseconds > interval
                    && nowMilliseconds - peer.lastCountPollMilliseconds > interval)
            {
                peer.countsMore = false
                peer.lastCountPollMilliseconds = nowMilliseconds
                peers[slot] = peer
                poll(.countsAfter(peer.received.countsThrough), slot: slot, to: address, nowMilliseconds: nowMilliseconds)
            }
        }
    }

    private func poll(_ query: PollRequest.Query, slot: Int, to address: SocketAddress, nowMilliseconds: Int64) {
        nextRequestID = nextRequestID == UInt32.max ? 1 : nextRequestID + 1
        let request = PollRequest(requestId: nextRequestID, query: query, maximumDatagrams: Self.pollDatagrams)
        send(.poll(request), slot: slot, to: address, nowMilliseconds: nowMilliseconds)
        counters.pollsSent &+= 1
    }

    private func send(_ message: WireMessage, slot: Int, to address: SocketAddress, nowMilliseconds: Int64) {
        let bytes = peers[slot].sealer.seal(message, timeMilliseconds: UInt64(max(0, nowMilliseconds)))
        outgoing.append(Outgoing(bytes: bytes, address: address))
        boardDirty = true
    }

    /// Rows waiting for the next commit (for tests and the benchmark's final flush).
    public var pendingRecords: Int { batch.recordCount }
    /// Drops so far, by reason.
    public var dropCounters: DropCounters { drops }
    /// central's own counters so far.
    public var centralCounters: CentralCounters { counters }
}
