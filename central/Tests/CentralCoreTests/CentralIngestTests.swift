import CentralCore
import SignalCore
import Testing
import Wire

@Suite struct CentralIngestTests {
    @Test func anAuthenticatedReportReachesTheBoardAndTheStore() throws {
        var junction = TestJunction(id: 7)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.status(mode: .normal, stage: 1), from: junction.address)
        _ = central.advance()
        let live = try #require(central.board.snapshot().junctions.first)
        #expect(live.status?.mode == .normal)
        #expect(live.status?.stage == 1)
        #expect(live.status?.groups.map(\.aspect) == [.green, .red])
        #expect(live.address == junction.address)
        #expect(live.reportsAccepted == 1)
        #expect(try central.reader().totals().reports == 1)
        #expect(central.ingest.centralCounters.reportsStored == 1)
    }

    @Test func refusedDatagramsAreCountedByReasonAndNeverAnswered() throws {
        var junction = TestJunction(id: 7)
        var impostor = TestJunction(id: 7)
        impostor.sealer = DatagramSealer(junctionId: 7, senderId: 0, bootId: 1_000, key: try WireKey(bytes: Array(repeating: 9, count: 32)))
        var stranger = TestJunction(id: 8)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        let good = junction.status()
        var tampered = junction.status()
        tampered[45] ^= 0x01
        let source = SocketAddress("127.0.0.1:50000")!
        central.receive(Array(good.prefix(20)), from: source)
        central.receive(Array(repeating: 0, count: 1300), from: source)
        central.receive(impostor.status(), from: source)
        central.receive(stranger.status(), from: source)
        central.receive(tampered, from: source)
        central.receive(good, from: source)
        central.receive(good, from: source)
        let outgoing = central.advance(milliseconds: 10_000)
        let drops = central.ingest.dropCounters
        #expect(drops[.truncated] == 1)
        #expect(drops[.oversized] == 1)
        #expect(drops[.badTag] == 2)
        #expect(drops[.unknownJunction] == 1)
        #expect(drops[.duplicate] == 1)
        #expect(central.ingest.centralCounters.statusReports == 1)
        // Only the junction that got through is ever sent anything, and only to where it reported from.
        #expect(outgoing.allSatisfy { $0.address == source })
        #expect(central.board.snapshot().drops.total == 6)
    }

    @Test func statusReportsAloneAreAcknowledgedAtTheKeepAliveIntervalNotPerReport() throws {
        var junction = TestJunction(id: 7)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        let interval = CentralIngest.ackKeepAliveMilliseconds
        var acks: [Acknowledgement] = []
        // Ten reports a second for two and a half keep-alive intervals: the first report is acknowledged at once,
        // then one ack per interval, however many reports arrive in it.
        for _ in 0..<(interval * 5 / 2 / 100) {
            central.receive(junction.status(), from: junction.address)
            acks += junction.acks(in: central.advance(milliseconds: 100))
        }
        #expect(acks == Array(repeating: Acknowledgement(eventsThrough: 0, countsThrough: 0), count: 3))
        // A report showing the junction missed an ack for stored records is answered at the next round.
        central.receive(junction.events(1...5), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 5, countsThrough: 0)])
        central.receive(junction.status(eventsStored: 5, eventsAcked: 0), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 5, countsThrough: 0)])
        central.receive(junction.status(eventsStored: 5, eventsAcked: 5), from: junction.address)
        #expect(junction.acks(in: central.advance()).isEmpty)
    }

    @Test func aDatagramOfTheWrongDirectionIsRefused() throws {
        let junction = TestJunction(id: 7)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        var pretendCentral = DatagramSealer(junctionId: 7, senderId: 3, bootId: 1, key: junction.key)
        let poll = pretendCentral.seal(.poll(PollRequest(requestId: 1, query: .status)), timeMilliseconds: 0)
        central.receive(poll, from: junction.address)
        #expect(central.ingest.dropCounters[.unexpectedType] == 1)
        #expect(central.advance().isEmpty)
    }

    @Test func detectorEventsFeedTheJunctionsCongestionIndicator() throws {
        var junction = TestJunction(id: 3)
        var entry = junction.entry
        var layout = JunctionLayout(groupCount: 1, stageCount: 1, detectorCount: 2)
        layout.detectors[0].placement = "stop_line"
        layout.detectors[1].placement = "advance"
        entry.layout = layout
        let central = try TestCentral(junctions: [entry])
        defer { central.removeFiles() }
        let start: UInt64 = 1_700_000_000_000
        // The advance loop is occupied for 100 s of the 300 s window, the stop-line loop for 200 s.
        let records = [
            EventRecord(recordNumber: 1, timeMilliseconds: start, code: EventCode.detectorOn.rawValue, parameter: 1),
            EventRecord(recordNumber: 2, timeMilliseconds: start + 100_000, code: EventCode.detectorOn.rawValue, parameter: 2),
            EventRecord(recordNumber: 3, timeMilliseconds: start + 200_000, code: EventCode.detectorOff.rawValue, parameter: 2),
            EventRecord(recordNumber: 4, timeMilliseconds: start + 200_000, code: EventCode.detectorOff.rawValue, parameter: 1),
            EventRecord(recordNumber: 5, timeMilliseconds: start + 300_000, code: EventCode.phaseBeginGreen.rawValue, parameter: 1),
        ]
        central.now += 300_000  // the batch arrives after the events it holds
        central.receive(junction.events(records), from: junction.address)
        _ = central.advance()
        let congestion = central.board.snapshot().junctions[0].congestion
        #expect(congestion.level == .congested)
        #expect(congestion.detector == "D2" && congestion.occupancyPercent == 33.3)
        #expect(congestion.asOfMilliseconds == 1_700_000_200_000)
    }

    /// A junction whose store was replaced (a new card, a reinstall) numbers from 1 again under a new boot: central
    /// stores those records after the old store's, keeps the old ones, and acknowledges in the new store's numbering.
    /// Events and count bins see the replacement each on their own.
    @Test func aReplacedStoresRecordsAreStoredAfterTheOldStoresAndAcknowledgedInItsNumbering() throws {
        var junction = TestJunction(id: 3)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(1...40), from: junction.address)
        central.receive(junction.counts(1...10), from: junction.address)
        _ = central.advance()

        var replaced = TestJunction(id: 3, bootID: 2_000)
        // Its first report comes before its records: the old mark must not be acknowledged to the new store, which
        // would take it as far as it stores and never send records 1-3.
        central.receive(replaced.status(eventsStored: 3, countsStored: 2), from: replaced.address)
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 0, countsThrough: 0)])
        central.receive(replaced.events(1...3), from: replaced.address)
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 3, countsThrough: 0)])
        let reader = try central.reader()
        #expect(try reader.totals().events == 43)
        let newest = try reader.recentEvents(junctionID: 3, limit: 4)
        let expected = [3, 2, 1].map {
            EventRecord(recordNumber: 40 + $0, timeMilliseconds: 1_700_000_000_000 + $0 * 100, code: 1, parameter: 2)
        }
        #expect(Array(newest.prefix(3)) == expected)
        #expect(newest.last?.recordNumber == 40 && newest.last?.timeMilliseconds == 1_700_000_004_000)
        #expect(central.ingest.centralCounters.storesReplaced == 1)
        #expect(central.ingest.centralCounters.duplicateRecords == 0)
        #expect(central.board.snapshot().junctions[0].eventsHeldThrough == 3)

        // The count bins' stream finds the new store on its own first batch.
        central.receive(replaced.counts(1...2), from: replaced.address)
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 3, countsThrough: 2)])
        #expect(try reader.totals().counts == 12)
        #expect(central.ingest.centralCounters.storesReplaced == 2)
        // The new store goes on as any store does.
        central.receive(replaced.events(4...5), from: replaced.address)
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 5, countsThrough: 2)])
        #expect(try reader.recentEvents(junctionID: 3, limit: 1).map(\.recordNumber) == [45])
    }

    /// An authentic record numbered near 2^64 (corrupted, or forged with the key) set the base of the junction's next
    /// store there, so the new store's records wrapped onto stored rows, were thrown away as duplicates and were
    /// acknowledged. A number no store reaches is counted and neither stored nor acknowledged; the next store's
    /// records are stored after the old ones.
    @Test func aRecordNumberedBeyondAnyStoreIsCountedAndMovesNothing() throws {
        var junction = TestJunction(id: 3)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(1...40), from: junction.address)
        _ = central.advance()
        let absurd = EventRecord(recordNumber: UInt64.max - 10, timeMilliseconds: 1_700_000_000_000, code: 1, parameter: 2)
        central.receive(junction.events([absurd]), from: junction.address)
        #expect(junction.acks(in: central.advance()).last == Acknowledgement(eventsThrough: 40, countsThrough: 0))
        #expect(central.ingest.centralCounters.recordsOutOfRange == 1)

        var replaced = TestJunction(id: 3, bootID: 2_000)
        central.receive(replaced.events(1...30), from: replaced.address)
        #expect(replaced.acks(in: central.advance()).last == Acknowledgement(eventsThrough: 30, countsThrough: 0))
        let reader = try central.reader()
        #expect(try reader.totals().events == 70)
        #expect(try reader.recentEvents(junctionID: 3, limit: 1).map(\.recordNumber) == [70])
        #expect(central.ingest.centralCounters.duplicateRecords == 0)
    }

    /// A resend overtaken on the way carries the `stored_through` of when it was sent, below central's mark: from the
    /// boot already seen holding the mark it is a resend, stored once, not a replaced store. The old store's batches
    /// delivered after the new store's first are an older boot, refused.
    @Test func aLateResendIsADuplicateNotAReplacedStore() throws {
        var junction = TestJunction(id: 3)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(1...40), from: junction.address)
        _ = central.advance()
        let oldBatch = junction.events(38...40)
        // A resend of records 1-3 sent when the store held only 3, delivered after 40: the same boot, true duplicates.
        central.receive(junction.events(1...3), from: junction.address)
        _ = central.advance()
        #expect(central.ingest.centralCounters.duplicateRecords == 3)
        #expect(central.ingest.centralCounters.storesReplaced == 0)
        #expect(try central.reader().totals().events == 40)

        var replaced = TestJunction(id: 3, bootID: 2_000)
        central.receive(replaced.events(1...3), from: replaced.address)
        _ = central.advance()
        #expect(central.ingest.centralCounters.storesReplaced == 1)
        // The new boot's own resend from when its store held 2, and the old store's last batch, delivered late.
        central.receive(replaced.events(1...2, storedThrough: 2), from: replaced.address)
        central.receive(oldBatch, from: junction.address)
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 3, countsThrough: 0)])
        #expect(central.ingest.dropCounters[.staleBoot] == 1)
        #expect(central.ingest.centralCounters.storesReplaced == 1)
        #expect(central.ingest.centralCounters.duplicateRecords == 5)
        #expect(try central.reader().totals().events == 43)
    }

    /// The new store's base and the boot seen holding its mark are committed with its records: after central
    /// restarts, the new store's later records are stored after the old store's, its resends are duplicates, and a
    /// late resend from when it held less is not taken for yet another store.
    @Test func aReplacedStoreIsStillNumberedAfterTheOldOneWhenCentralRestarts() throws {
        var junction = TestJunction(id: 4)
        let first = try TestCentral(junctions: [junction.entry])
        defer { first.removeFiles() }
        first.receive(junction.events(1...40), from: junction.address)
        _ = first.advance()
        var replaced = TestJunction(id: 4, bootID: 2_000)
        first.receive(replaced.events(1...3, storedThrough: 6), from: replaced.address)
        let late = replaced.events(1...2, storedThrough: 2)
        _ = first.advance()

        let second = try TestCentral(junctions: [junction.entry], path: first.path)
        #expect(second.board.snapshot().junctions[0].eventsHeldThrough == 3)
        // First after the restart, before any datagram shows the store holding the mark again.
        second.receive(late, from: replaced.address)
        second.receive(replaced.events(4...6), from: replaced.address)
        second.receive(replaced.events(1...3, storedThrough: 6), from: replaced.address)
        #expect(replaced.acks(in: second.advance()) == [Acknowledgement(eventsThrough: 6, countsThrough: 0)])
        #expect(second.ingest.centralCounters.storesReplaced == 0)
        #expect(second.ingest.centralCounters.duplicateRecords == 5)
        #expect(try second.reader().totals().events == 46)
        #expect(try second.reader().recentEvents(junctionID: 4, limit: 1).map(\.recordNumber) == [46])
    }

    /// Records held above a gap are in the store but not under the mark: after a restart a new store is still
    /// numbered above them, so none of its records lands on one of theirs.
    @Test func aNewStoreIsNumberedAboveRecordsHeldAboveAGap() throws {
        var junction = TestJunction(id: 4)
        let first = try TestCentral(junctions: [junction.entry])
        defer { first.removeFiles() }
        first.receive(junction.events(1...10), from: junction.address)
        first.receive(junction.events(20...30), from: junction.address)
        _ = first.advance()

        let second = try TestCentral(junctions: [junction.entry], path: first.path)
        var replaced = TestJunction(id: 4, bootID: 2_000)
        second.receive(replaced.events(1...9), from: replaced.address)
        second.receive(replaced.events(10...12), from: replaced.address)
        #expect(replaced.acks(in: second.advance()) == [Acknowledgement(eventsThrough: 12, countsThrough: 0)])
        #expect(second.ingest.centralCounters.duplicateRecords == 0)
        #expect(try second.reader().totals().events == 33)
        #expect(try second.reader().recentEvents(junctionID: 4, limit: 1).map(\.recordNumber) == [42])
    }

    @Test func eventsAreStoredThenAcknowledgedAndAResendIsStoredOnce() throws {
        var junction = TestJunction(id: 3)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(1...40), from: junction.address)
        let acks = junction.acks(in: central.advance())
        #expect(acks == [Acknowledgement(eventsThrough: 40, countsThrough: 0)])
        // The ack was lost; go-back-N sends the same records again in new datagrams.
        central.receive(junction.events(1...40), from: junction.address)
        central.receive(junction.events(41...45), from: junction.address)
        let again = junction.acks(in: central.advance())
        #expect(again == [Acknowledgement(eventsThrough: 45, countsThrough: 0)])
        #expect(try central.reader().totals().events == 45)
        #expect(central.ingest.centralCounters.duplicateRecords == 40)
        #expect(central.board.snapshot().junctions[0].eventsHeldThrough == 45)
    }

    @Test func theAcknowledgementNeverPassesAGap() throws {
        var junction = TestJunction(id: 3)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(11...20, storedThrough: 20), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 0, countsThrough: 0)])
        central.receive(junction.events(1...10, storedThrough: 20), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 20, countsThrough: 0)])
        #expect(try central.reader().totals().events == 20)
    }

    @Test func recordsTheJunctionNoLongerHoldsCountAsHeldAndAsLost() throws {
        var junction = TestJunction(id: 3)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(1...5), from: junction.address)
        _ = central.advance()
        central.receive(junction.events(50...52, firstAvailable: 50), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 52, countsThrough: 0)])
        #expect(central.ingest.centralCounters.recordsLostAtJunction == 44)
    }

    @Test func countBinsAreStoredAndAcknowledgedLikeEvents() throws {
        var junction = TestJunction(id: 4)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.counts(1...35), from: junction.address)
        central.receive(junction.counts(30...40), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 0, countsThrough: 40)])
        #expect(try central.reader().totals().counts == 40)
        #expect(central.ingest.centralCounters.duplicateRecords == 6)
    }

    @Test func aRestartedCentralResumesItsMarksAndStillRefusesAnOldRun() throws {
        var junction = TestJunction(id: 5, bootID: 2_000)
        let first = try TestCentral(junctions: [junction.entry])
        defer { first.removeFiles() }
        let oldRun = junction.status()
        central(first, receives: junction.events(1...30), from: junction)
        var newRun = TestJunction(id: 5, bootID: 3_000)
        central(first, receives: newRun.status(), from: newRun)
        _ = first.advance()

        let second = try TestCentral(junctions: [junction.entry], path: first.path)
        #expect(second.board.snapshot().junctions[0].eventsHeldThrough == 30)
        second.receive(oldRun, from: junction.address)
        #expect(second.ingest.dropCounters[.staleBoot] == 1)
        second.receive(newRun.events(25...35), from: newRun.address)
        #expect(newRun.acks(in: second.advance()) == [Acknowledgement(eventsThrough: 35, countsThrough: 0)])
        #expect(try second.reader().totals().events == 35)
    }

    @Test func aReplayOfTheCurrentRunFromBeforeARestartIsRefusedLikeAnyReplay() throws {
        var junction = TestJunction(id: 5)
        let first = try TestCentral(junctions: [junction.entry])
        defer { first.removeFiles() }
        let longAgo = junction.status(mode: .fault)
        for _ in 0..<80 { first.receive(junction.status(), from: junction.address) }
        let recent = junction.status(mode: .fault)
        first.receive(longAgo, from: junction.address)
        first.receive(recent, from: junction.address)
        first.receive(junction.status(), from: junction.address)
        _ = first.advance()
        #expect(first.ingest.dropCounters[.outsideWindow] == 1)

        let second = try TestCentral(junctions: [junction.entry], path: first.path)
        second.receive(recent, from: junction.address)
        second.receive(longAgo, from: junction.address)
        #expect(second.ingest.dropCounters[.duplicate] == 1)
        #expect(second.ingest.dropCounters[.outsideWindow] == 1)
        #expect(second.ingest.centralCounters.statusReports == 0)
        // The junction's next report in the same run is taken.
        second.receive(junction.status(), from: junction.address)
        _ = second.advance()
        #expect(second.board.snapshot().junctions[0].status?.mode == .normal)
    }

    @Test func aWindowWhoseCommitFailedIsSavedByTheNextCommit() throws {
        var junction = TestJunction(id: 6)
        let first = try TestCentral(junctions: [junction.entry], maximumPages: 12)
        defer { first.removeFiles() }
        let captured = junction.status(mode: .fault)
        first.receive(captured, from: junction.address)
        for start in stride(from: UInt64(1), through: 2_000, by: 50) {
            first.receive(junction.events(start...(start + 49)), from: junction.address)
        }
        _ = first.advance()
        #expect(first.ingest.centralCounters.storeFull == 1)
        // Nothing more arrives, and the records are forgotten; the window alone fits, and the next commit saves it.
        _ = first.advance()
        #expect(first.ingest.centralCounters.storeErrors == 1)
        #expect(first.ingest.centralCounters.commits == 1)

        let second = try TestCentral(junctions: [junction.entry], path: first.path)
        second.receive(captured, from: junction.address)
        #expect(second.ingest.dropCounters[.outsideWindow] + second.ingest.dropCounters[.duplicate] == 1)
    }

    @Test func recordsStampedAheadOrBeyondTheLayoutAreStoredAndCounted() throws {
        var checked = TestJunction(id: 5)
        var unchecked = TestJunction(id: 6)
        var entry = checked.entry
        entry.layout = JunctionLayout(groupCount: 2, stageCount: 1, detectorCount: 2)
        let central = try TestCentral(junctions: [entry, unchecked.entry])
        defer { central.removeFiles() }
        let now = UInt64(central.now)
        let day: UInt64 = 86_400
        // In order: fine, a detector and a group the layout lacks, and one stamped a day ahead of central's clock.
        let events = [
            EventRecord(recordNumber: 1, timeMilliseconds: now, code: EventCode.detectorOn.rawValue, parameter: 2),
            EventRecord(recordNumber: 2, timeMilliseconds: now, code: EventCode.detectorOn.rawValue, parameter: 9999),
            EventRecord(recordNumber: 3, timeMilliseconds: now, code: EventCode.phaseBeginGreen.rawValue, parameter: 3),
            EventRecord(recordNumber: 4, timeMilliseconds: now + day * 1000, code: EventCode.phaseBeginGreen.rawValue,
                parameter: 1),
        ]
        let start = now / 1000 / 900 * 900 - 900
        let bins = [
            CountBin(recordNumber: 1, binStartSeconds: start, periodSeconds: 900, detector: 1, volume: 4,
                occupancyPermille: 10, observedSeconds: 900),
            CountBin(recordNumber: 2, binStartSeconds: start, periodSeconds: 900, detector: 9999, volume: 4,
                occupancyPermille: 10, observedSeconds: 900),
            CountBin(recordNumber: 3, binStartSeconds: UInt64(Int64.max), periodSeconds: 1, detector: 1, volume: 4,
                occupancyPermille: 10, observedSeconds: 1),
        ]
        central.receive(checked.events(events), from: checked.address)
        central.receive(checked.counts(bins), from: checked.address)
        _ = central.advance()
        var counters = central.ingest.centralCounters
        #expect(counters.recordsStampedAhead == 2)
        #expect(counters.recordsBeyondLayout == 3)
        // Kept: they are the junction's numbered records, acknowledged like any other.
        #expect(counters.eventsStored == 4 && counters.countsStored == 3)

        // A junction without a layout cannot be checked for numbers; its clock still can.
        central.receive(unchecked.events(events), from: unchecked.address)
        central.receive(unchecked.counts(bins), from: unchecked.address)
        _ = central.advance()
        counters = central.ingest.centralCounters
        #expect(counters.recordsStampedAhead == 4)
        #expect(counters.recordsBeyondLayout == 3)
    }

    @Test func aBatchWithImpossibleRecordNumbersIsRefusedAsMalformed() throws {
        var junction = TestJunction(id: 6)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        // A mark at UInt64.max could never be passed; retired records beyond what the junction ever stored.
        let last = EventRecord(recordNumber: UInt64.max, timeMilliseconds: 1_700_000_000_000, code: 1, parameter: 2)
        central.receive(junction.events([last]), from: junction.address)
        central.receive(junction.events(1...3, firstAvailable: UInt64.max), from: junction.address)
        central.receive(junction.events(1...3, firstAvailable: 5), from: junction.address)
        _ = central.advance()
        #expect(central.ingest.dropCounters[.malformed] == 3)
        central.receive(junction.events(1...3), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 3, countsThrough: 0)])
        #expect(central.ingest.centralCounters.recordsLostAtJunction == 0)
    }

    @Test func aCursorThatCannotBeIncrementedIsReadAsAFreshStart() throws {
        var junction = TestJunction(id: 5)
        let first = try TestCentral(junctions: [junction.entry])
        defer { first.removeFiles() }
        // What a central before the decoder's bounds could save: -1 in the file.
        var batch = StoreBatch()
        batch.cursors[5] = JunctionCursor(
            events: StreamCursor(through: UInt64.max), counts: StreamCursor(through: UInt64.max), bootID: 999)
        _ = try first.store.commit(batch)

        let second = try TestCentral(junctions: [junction.entry], path: first.path)
        second.receive(junction.events(1...3), from: junction.address)
        #expect(junction.acks(in: second.advance()) == [Acknowledgement(eventsThrough: 3, countsThrough: 0)])
        #expect(try second.reader().totals().events == 3)
    }

    private func central(_ central: TestCentral, receives bytes: [UInt8], from junction: TestJunction) {
        central.receive(bytes, from: junction.address)
    }

    @Test func aFailedCommitIsNotAcknowledgedAndTheResendIsTakenOnceThereIsRoom() throws {
        var junction = TestJunction(id: 6)
        let central = try TestCentral(junctions: [junction.entry], maximumPages: 12)
        defer { central.removeFiles() }
        for start in stride(from: UInt64(1), through: 2_000, by: 50) {
            central.receive(junction.events(start...(start + 49)), from: junction.address)
        }
        let acks = junction.acks(in: central.advance())
        let counters = central.ingest.centralCounters
        #expect(counters.storeFull == 1)
        #expect(acks == [Acknowledgement(eventsThrough: 0, countsThrough: 0)])
        #expect(central.board.snapshot().storeProblem?.contains("disk full") == true)
        // The junction resends a little at a time; what fits is stored, acknowledged, and the problem clears.
        central.receive(junction.events(1...20), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 20, countsThrough: 0)])
        #expect(central.board.snapshot().storeProblem == nil)
    }

    @Test func recordsAboveAGapInAFailedCommitAreNotAcknowledgedWhenTheGapCloses() throws {
        var junction = TestJunction(id: 6)
        let central = try TestCentral(junctions: [junction.entry], maximumPages: 12)
        defer { central.removeFiles() }
        central.receive(junction.events(1...20), from: junction.address)
        _ = central.advance()
        // Pushes above a gap (21...29 lost on the way) that the store has no room for: the mark does not move.
        for start in stride(from: UInt64(30), through: 2_000, by: 50) {
            central.receive(junction.events(start...(start + 49)), from: junction.address)
        }
        _ = central.advance()
        #expect(central.ingest.centralCounters.storeFull == 1)
        central.receive(junction.events(21...29), from: junction.address)
        #expect(junction.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 29, countsThrough: 0)])
        #expect(try central.reader().totals().events == 29)
    }

    /// A commit that fails forgets the new store's records but not the new store: by the time the junction resends,
    /// its store may hold more than central's old mark, and its records would then pass for the old store's.
    @Test func aReplacedStoreFoundInAFailedCommitIsStillTheStoreOfTheResend() throws {
        var junction = TestJunction(id: 6)
        let central = try TestCentral(junctions: [junction.entry], maximumPages: 12)
        defer { central.removeFiles() }
        central.receive(junction.events(1...20), from: junction.address)
        _ = central.advance()
        var replaced = TestJunction(id: 6, bootID: 2_000)
        central.receive(replaced.events(1...10), from: replaced.address)
        for start in stride(from: UInt64(11), through: 2_000, by: 50) {
            central.receive(replaced.events(start...(start + 49)), from: replaced.address)
        }
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 0, countsThrough: 0)])
        #expect(central.ingest.centralCounters.storeFull == 1)
        // The resend, a little at a time, from a store now holding more than the old mark.
        central.receive(replaced.events(1...20, storedThrough: 2_049), from: replaced.address)
        #expect(replaced.acks(in: central.advance()) == [Acknowledgement(eventsThrough: 20, countsThrough: 0)])
        #expect(try central.reader().totals().events == 40)
        #expect(try central.reader().recentEvents(junctionID: 6, limit: 1).map(\.recordNumber) == [40])
        #expect(central.ingest.centralCounters.storesReplaced == 1)
    }

    @Test func aJunctionBehindOnPushesIsPolledFromCentralsMark() throws {
        var junction = TestJunction(id: 9)
        let central = try TestCentral(junctions: [junction.entry])
        defer { central.removeFiles() }
        central.receive(junction.events(1...10, storedThrough: 100), from: junction.address)
        central.receive(junction.status(eventsStored: 100), from: junction.address)
        _ = central.advance()
        // No progress for a whole poll interval: central asks for what follows its mark.
        let polls = junction.messages(in: central.advance(milliseconds: 2_500)).compactMap { message -> PollRequest.Query? in
            if case .poll(let poll) = message { return poll.query }
            return nil
        }
        #expect(polls == [.eventsAfter(10)])
    }

    @Test func aQuietJunctionIsAskedForItsStatusAtItsConfiguredAddress() throws {
        var junction = TestJunction(id: 2)
        var entry = junction.entry
        entry.pollAddress = junction.address
        let central = try TestCentral(junctions: [entry])
        defer { central.removeFiles() }
        let messages = junction.messages(in: central.advance(milliseconds: 5_000))
        #expect(messages.count == 1)
        if case .poll(let poll) = messages.first {
            #expect(poll.query == .status)
        } else {
            Issue.record("expected a status poll, got \(messages)")
        }
    }

    @Test func theBoardCountsOnlyChangedJunctionsForWatchers() throws {
        var first = TestJunction(id: 1)
        var second = TestJunction(id: 2)
        let central = try TestCentral(junctions: [first.entry, second.entry])
        defer { central.removeFiles() }
        central.receive(first.status(), from: first.address)
        _ = central.advance()
        let version = central.board.snapshot().version
        central.receive(second.status(), from: second.address)
        _ = central.advance()
        let changed = central.board.changes(since: version).junctions.map(\.id)
        #expect(changed == [2])
    }
}
