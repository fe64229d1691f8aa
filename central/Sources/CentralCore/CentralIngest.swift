import SQLite
import Wire
import SignalCore

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

    /// While a junction's status reports arrive, central acknowledges at least this often even when nothing new
    /// was stored, so the junction knows central hears it. Time rather than a report count: a junction reporting
    /// at 5 Hz would otherwise cost central an ack, with its tag and system call, every second.
    public static let ackKeepAliveMilliseconds: Int64 = 5_000
    /// Datagrams asked for by one poll.
    public static let pollDatagrams: UInt8 = 16
    /// How often the service round looks through every junction for polls that are due. Poll intervals are
    /// seconds, so this costs them at most a tenth of a second, and 10,000 junctions are not walked every round.
    public static let pollScanIntervalMilliseconds: Int64 = 100
    /// How often the service round raises and clears the city's alarms: a junction shows offline at most this long
    /// after its stale limit, and 10,000 junctions cost a walk four times a second.
    public static let alarmReviewIntervalMilliseconds: Int64 = 250

    private let config: CityConfig
    private let store: CentralStore
    private let board: CityBoard
    private var peers: [JunctionPeer]
    /// Slots whose `ackDue` is set, each once: the service round acknowledges these without visiting every peer.
    private var ackDueSlots: [Int] = []
    /// Slots whose `windowUnsaved` is set, each once: the next commit saves their windows.
    private var unsavedWindowSlots: [Int] = []
    private let slots: [UInt32: Int]
    private var batch = StoreBatch()
    private var drops = DropCounters()
    /// The socket's kernel drop count at the last `noteKernelDrops`.
    private var kernelDropsSeen: UInt32 = 0
    private var counters = CentralCounters()
    private var outgoing: [Outgoing] = []
    /// Status changes waiting for the next `publish`, by slot.
    private var liveUpdates: [(slot: Int, header: WireHeader, report: StatusReport?, address: SocketAddress)] = []
    private var lastCommitMilliseconds: Int64 = 0
    private var lastPruneMilliseconds: Int64 = 0
    private var lastPollScanMilliseconds: Int64 = 0
    private var lastAlarmReviewMilliseconds: Int64 = 0
    private var nextRequestID: UInt32
    private var storeProblem: String?
    private var boardDirty = false
    /// Detector on/off events taken since the last publish, by junction slot, for the congestion indicator.
    private var detectorChanges: [(slot: Int, event: EventRecord, receivedMilliseconds: Int64)] = []

    /// An ingest for the junctions of `config`, resuming from the cursors in `store`; `bootID` numbers central's
    /// own datagrams for this run (from `CentralStore.nextBootID`).
    public init(config: CityConfig, store: CentralStore, board: CityBoard, bootID: UInt64) throws(SQLiteError) {
        self.config = config
        self.store = store
        self.board = board
        let cursors = try store.cursors()
        let windows = try store.replayWindows()
        peers = config.junctions.map {
            JunctionPeer(
                entry: $0, centralID: config.centralID, centralBootID: bootID, cursor: cursors[$0.id] ?? JunctionCursor(),
                window: windows[$0.id] ?? ReplayWindow())
        }
        var slots: [UInt32: Int] = [:]
        for (slot, peer) in peers.enumerated() { slots[peer.id] = slot }
        self.slots = slots
        nextRequestID = UInt32(truncatingIfNeeded: bootID) | 1
        board.update { state in
            for peer in peers {
                state.updateJunction(peer.id) {
                    $0.eventsHeldThrough = peer.committed.events.through
                    $0.countsHeldThrough = peer.committed.counts.through
                }
            }
        }
    }

    /// Takes the socket's running count of kernel drops (`UDPSocket.kernelDrops`), adding what is new since the last
    /// reading to `datagramsDroppedByKernel`; the count wraps at 2^32, and the first reading counts from 0.
    public func noteKernelDrops(_ total: UInt32) {
        let new = total &- kernelDropsSeen
        guard new > 0 else { return }
        kernelDropsSeen = total
        counters.datagramsDroppedByKernel &+= UInt64(new)
        boardDirty = true
    }

    /// Checks and takes in one received datagram. Refusals are counted by reason and never answered.
    public func receive(_ bytes: UnsafeRawBufferPointer, from source: SocketAddress, nowMilliseconds: Int64) {
        counters.datagramsReceived &+= 1
        let copy = Array(bytes)
        do {
            let (datagram, slot) = try open(copy[...])
            counters.datagramsAccepted &+= 1
            accept(datagram, slot: slot, from: source, nowMilliseconds: nowMilliseconds)
        } catch {
            drops.count(error.dropReason)
        }
        boardDirty = true
    }

    /// The checks of docs/protocol.md in its order; the window moves only for a datagram that passed them all.
    /// Returns the datagram and its junction's slot.
    ///
    /// The moved window is saved with the next commit, not before the datagram is used: a disk write per datagram
    /// would cost more than the rest of ingest. So a datagram accepted after the last commit before central dies
    /// without stopping (kill -9, power loss, a crash), or while commits fail, can be accepted once more after the
    /// restart; anything accepted before that commit stays refused (`duplicate`, `outsideWindow`, `staleBoot`).
    private func open(_ bytes: ArraySlice<UInt8>) throws(WireError) -> (Datagram, Int) {
        // The slot is looked up once, where authenticate asks for the key; a frame refused before that throws.
        var slot = 0
        let frame = try DatagramOpener.authenticate(bytes) { id in
            guard let found = slots[id] else { return nil }
            slot = found
            return peers[found].key
        }
        let header = frame.header
        guard header.type.travelsUpstream, header.senderId == WireFormat.junctionSenderId else {
            throw .unexpectedType
        }
        try peers[slot].window.check(bootId: header.bootId, sequence: header.sequence)
        let datagram = try frame.decode()
        peers[slot].window.accept(bootId: header.bootId, sequence: header.sequence)
        if !peers[slot].windowUnsaved {
            peers[slot].windowUnsaved = true
            unsavedWindowSlots.append(slot)
        }
        return (datagram, slot)
    }

    private func accept(_ datagram: Datagram, slot: Int, from source: SocketAddress, nowMilliseconds: Int64) {
        let header = datagram.header
        peers[slot].address = source
        switch datagram.message {
        case .status(let report):
            acceptStatus(report, header: header, slot: slot, source: source, nowMilliseconds: nowMilliseconds)
        case .events(let events):
            counters.eventBatches &+= 1
            acceptEvents(events, slot: slot, bootID: header.bootId, nowMilliseconds: nowMilliseconds)
            liveUpdates.append((slot, header, nil, source))
        case .counts(let counts):
            counters.countBatches &+= 1
            acceptCounts(counts, slot: slot, bootID: header.bootId, nowMilliseconds: nowMilliseconds)
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
        // In place: a copy of the peer out of the array and back costs more than the rest of the report's handling.
        let ackDue = updatePeer(slot) { peer in
            peer.lastReportMilliseconds = nowMilliseconds
            peer.junctionEventsStored = report.eventsStoredThrough
            peer.junctionCountsStored = report.countsStoredThrough
            peer.junctionEventsAcked = report.eventsAckedThrough
            peer.junctionCountsAcked = report.countsAckedThrough
            if peer.bootID != header.bootId {
                peer.bootID = header.bootId
                batch.cursors[peer.id] = peer.received
            }
            // The junction's marks show it missed an ack (lost on the way): say again what central holds.
            let ack = peer.acknowledgement
            return report.eventsAckedThrough < ack.eventsThrough || report.countsAckedThrough < ack.countsThrough
                || nowMilliseconds - peer.lastAckMilliseconds >= Self.ackKeepAliveMilliseconds
        }
        if ackDue { markAckDue(slot) }
        liveUpdates.append((slot, header, report, source))
    }

    private func updatePeer<Result>(_ slot: Int, _ body: (inout JunctionPeer) -> Result) -> Result {
        body(&peers[slot])
    }

    private func markAckDue(_ slot: Int) {
        guard !peers[slot].ackDue else { return }
        peers[slot].ackDue = true
        ackDueSlots.append(slot)
    }

    private func acceptEvents(_ events: EventBatch, slot: Int, bootID: UInt64, nowMilliseconds: Int64) {
        let junctionID = peers[slot].id
        let layout = peers[slot].layout
        take(events, slot: slot, .events, bootID: bootID, nowMilliseconds) { event, number in
            var stored = event
            stored.recordNumber = number
            batch.events.append((junctionID, stored))
            if Int64(clamping: event.timeMilliseconds) - DetectorActivity.aheadToleranceMilliseconds > nowMilliseconds {
                counters.recordsStampedAhead &+= 1
            }
            if let layout, !layout.lists(event) { counters.recordsBeyondLayout &+= 1 }
            if event.code == EventCode.detectorOn.rawValue || event.code == EventCode.detectorOff.rawValue {
                detectorChanges.append((slot, event, nowMilliseconds))
            }
        }
    }

    private func acceptCounts(_ counts: CountBatch, slot: Int, bootID: UInt64, nowMilliseconds: Int64) {
        let junctionID = peers[slot].id
        let layout = peers[slot].layout
        // A bin is sent once its period has ended, so one starting after central's clock (and the tolerance) was
        // stamped by a wrong clock.
        let latestStartSeconds = (nowMilliseconds + DetectorActivity.aheadToleranceMilliseconds) / 1000
        // Bins asked for by time (the first-contact backfill) may start above a gap; they wait above the mark.
        take(counts, slot: slot, .counts, bootID: bootID, nowMilliseconds) { bin, number in
            var stored = bin
            stored.recordNumber = number
            batch.counts.append((junctionID, stored))
            if Int64(clamping: bin.binStartSeconds) > latestStartSeconds { counters.recordsStampedAhead &+= 1 }
            if let layout, !layout.lists(bin) { counters.recordsBeyondLayout &+= 1 }
        }
    }

    /// Takes one batch of either stream through Wire's intake rules, hands each new record to `store` with its
    /// number in central's numbering (`StreamCursor`), and counts the rest; queues the junction's cursor while it
    /// differs from the committed one and marks the junction for an ack. Records below the junction's first
    /// available number were removed by its retention: they count as held (docs/protocol.md, `ack`), and how many
    /// central never got is counted.
    ///
    /// A batch showing a replaced junction store (`Stream.isReplaced`) starts a new store first: its records are
    /// new, numbered after everything held, and the mark restarts in the new store's numbering.
    private func take<Record: WireRecord>(
        _ records: RecordBatch<Record>, slot: Int, _ kind: RecordStream, bootID: UInt64, _ nowMilliseconds: Int64,
        store: (Record, _ number: UInt64) -> Void
    ) {
        let stream = JunctionPeer.stream(kind)
        if peers[slot][keyPath: stream].isReplaced(byStoreThrough: records.storedThrough, bootID: bootID) {
            let highest: UInt64
            do {
                highest = try self.store.highestRecord(junctionID: peers[slot].id, kind)
            } catch {
                // Without the highest row a new base could land on stored records: take nothing now, and the
                // junction, never acknowledged, sends the batch again.
                noteStoreFailure(error)
                return
            }
            peers[slot][keyPath: stream].startStore(above: highest, bootID: bootID)
            counters.storesReplaced &+= 1
        } else if records.storedThrough >= peers[slot][keyPath: stream].intake.through {
            peers[slot][keyPath: stream].holdingBootID = max(peers[slot][keyPath: stream].holdingBootID, bootID)
        }
        takeRecords(records, into: &peers[slot][keyPath: stream], nowMilliseconds, store: store)
        // Against the committed cursor, not the one before this batch: a new store kept over a failed commit must
        // be saved with the first records numbered after its base, even records above a gap that move no mark.
        if peers[slot].received != peers[slot].committed {
            batch.cursors[peers[slot].id] = peers[slot].received
        }
        markAckDue(slot)
    }

    /// The records of one batch through `stream`'s intake, in the junction's current store.
    private func takeRecords<Record: WireRecord>(
        _ records: RecordBatch<Record>, into stream: inout JunctionPeer.Stream, _ nowMilliseconds: Int64,
        store: (Record, _ number: UInt64) -> Void
    ) {
        let before = stream.intake.through
        counters.recordsLostAtJunction &+= stream.intake.retire(below: records.firstAvailable)
        for record in records.records {
            guard record.recordNumber <= JunctionPeer.largestRecordNumber,
                record.recordNumber <= JunctionPeer.largestStoredNumber - min(stream.base, JunctionPeer.largestStoredNumber)
            else {
                counters.recordsOutOfRange &+= 1
                continue
            }
            switch stream.intake.take(record.recordNumber) {
            case .new: store(record, stream.number(record.recordNumber))
            case .duplicate: counters.duplicateRecords &+= 1
            case .overflow: counters.outOfOrderOverflow &+= 1
            }
        }
        // The last part of a poll's answer says whether more wait.
        if records.requestId != 0 && records.part == records.parts - 1 { stream.more = records.moreAvailable }
        if stream.intake.through != before { stream.lastProgressMilliseconds = nowMilliseconds }
    }

    /// Puts the live state gathered since the last call on the board, under one lock.
    public func publish() {
        guard boardDirty else { return }
        boardDirty = false
        let updates = liveUpdates
        liveUpdates.removeAll(keepingCapacity: true)
        let changes = detectorChanges
        detectorChanges.removeAll(keepingCapacity: true)
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
            for (slot, event, received) in changes {
                state.updateJunction(peers[slot].id) { $0.activity.record(event, receivedMilliseconds: received) }
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
        if nowMilliseconds - lastPollScanMilliseconds >= Self.pollScanIntervalMilliseconds {
            lastPollScanMilliseconds = nowMilliseconds
            sendPolls(nowMilliseconds: nowMilliseconds)
        }
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
        let sinceReview = nowMilliseconds - lastAlarmReviewMilliseconds
        if sinceReview >= Self.alarmReviewIntervalMilliseconds {
            // After a stall of central's own thread the reports that arrived meanwhile still wait in the socket:
            // skip one review so they are read first, rather than call every junction offline for central's pause.
            let stalled = lastAlarmReviewMilliseconds > 0 && sinceReview > 4 * Self.alarmReviewIntervalMilliseconds
            lastAlarmReviewMilliseconds = nowMilliseconds
            if !stalled {
                let stale = config.staleAfterMilliseconds
                board.update { $0.reviewAlarms(nowMilliseconds: nowMilliseconds, staleAfterMilliseconds: stale) }
            }
        }
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
        // The windows as they stand now, not as they stood at each datagram: a failed commit leaves them listed,
        // and the next commit saves them.
        for slot in unsavedWindowSlots { batch.windows.append((peers[slot].id, peers[slot].window)) }
        guard !batch.isEmpty else { return }
        do {
            let outcome = try store.commit(batch)
            for slot in unsavedWindowSlots { peers[slot].windowUnsaved = false }
            unsavedWindowSlots.removeAll(keepingCapacity: true)
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
                markAckDue(slot)
            }
            board.update { state in
                for junctionID in batch.cursors.keys {
                    let committed = peers[slots[junctionID]!].committed
                    state.updateJunction(junctionID) {
                        $0.eventsHeldThrough = committed.events.through
                        $0.countsHeldThrough = committed.counts.through
                    }
                }
            }
        } catch {
            counters.reportsNotStored &+= UInt64(batch.reports.count)
            noteStoreFailure(error)
            // Nothing of the batch is held: forget it, and the junctions resend what central never acknowledged.
            // Every junction with a record in it, not only those whose mark moved: records taken above a gap wait
            // in the intake too, and closing the gap later would acknowledge them unstored.
            for junctionID in batch.junctionsWithRecords { peers[slots[junctionID]!].forgetUncommitted() }
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
        let due = ackDueSlots
        ackDueSlots.removeAll(keepingCapacity: true)
        for slot in due {
            peers[slot].ackDue = false
            guard let address = peers[slot].destination else { continue }
            peers[slot].lastAckMilliseconds = nowMilliseconds
            send(.ack(peers[slot].acknowledgement), slot: slot, to: address, nowMilliseconds: nowMilliseconds)
            counters.acksSent &+= 1
        }
    }

    /// Polls: status for a junction gone quiet; events or count bins when the junction holds records central lacks
    /// and its own pushes have not moved central's marks for a poll interval (or a poll answer said "more").
    ///
    /// The look works on each peer in place and sends only when a poll is due: copying 10,000 peers out of the
    /// array and back on every look cost more than the datagrams themselves.
    private func sendPolls(nowMilliseconds: Int64) {
        for slot in peers.indices {
            guard let address = peers[slot].destination else { continue }
            let due = updatePeer(slot) { duePolls(&$0, nowMilliseconds: nowMilliseconds) }
            if let query = due.first { poll(query, slot: slot, to: address, nowMilliseconds: nowMilliseconds) }
            if let query = due.second { poll(query, slot: slot, to: address, nowMilliseconds: nowMilliseconds) }
        }
    }

    /// The polls due for `peer` now (at most two: events and count bins), with its poll timers moved.
    private func duePolls(_ peer: inout JunctionPeer, nowMilliseconds: Int64) -> (
        first: PollRequest.Query?, second: PollRequest.Query?
    ) {
        let interval = Int64(config.pollIntervalMilliseconds)
        let stale = Int64(config.staleAfterMilliseconds)
        if nowMilliseconds - peer.lastReportMilliseconds > stale
            && nowMilliseconds - peer.lastStatusPollMilliseconds > stale
        {
            peer.lastStatusPollMilliseconds = nowMilliseconds
            return (.status, nil)
        }
        guard peer.lastReportMilliseconds > 0 else { return (nil, nil) }
        var events: PollRequest.Query?
        if Self.recordsPollDue(
            &peer.events, behind: peer.junctionEventsStored > peer.events.intake.through, now: nowMilliseconds,
            interval: interval)
        {
            events = .eventsAfter(peer.events.intake.through)
        }
        if !peer.countsBackfillAsked && peer.counts.intake.through == 0 && peer.junctionCountsStored > 0 {
            peer.countsBackfillAsked = true
            peer.counts.lastPollMilliseconds = nowMilliseconds
            return (events, .countsSince(UInt64(max(0, nowMilliseconds / 1000 - 86_400))))
        }
        if Self.recordsPollDue(
            &peer.counts, behind: peer.junctionCountsStored > peer.counts.intake.through, now: nowMilliseconds,
            interval: interval)
        {
            return (events, .countsAfter(peer.counts.intake.through))
        }
        return (events, nil)
    }

    /// Whether to poll for one stream now: a poll answer said more wait, or the junction holds records central
    /// lacks (`behind`) and neither its pushes nor a poll have moved for an interval. When due, clears `more` and
    /// restarts the poll timer.
    private static func recordsPollDue(
        _ stream: inout JunctionPeer.Stream, behind: Bool, now: Int64, interval: Int64
    ) -> Bool {
        guard
            stream.more
                || (behind && now - stream.lastProgressMilliseconds > interval
                    && now - stream.lastPollMilliseconds > interval)
        else { return false }
        stream.more = false
        stream.lastPollMilliseconds = now
        return true
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
