import SignalCore
import Testing
import Wire

@Suite("Wire round trips")
struct RoundTripTests {
    @Test("every message type survives seal and open unchanged")
    func everyTypeRoundTrips() throws {
        let upstream: [WireMessage] = [
            .status(WireFixtures.sampleStatus),
            .events(EventBatch(firstAvailable: 1, storedThrough: 200, records: WireFixtures.events(from: 10, count: 56))),
            .counts(CountBatch(firstAvailable: 3, storedThrough: 90, records: WireFixtures.bins(from: 40, count: 35))),
        ]
        var sealer = WireFixtures.junctionSealer()
        var receiver = WireFixtures.centralReceiver()
        for message in upstream {
            let bytes = sealer.seal(message, timeMilliseconds: 1_700_000_000_123)
            #expect(bytes.count <= WireFormat.maximumDatagramBytes)
            let datagram = try receiver.open(bytes[...])
            #expect(datagram.message == message)
            #expect(datagram.header.junctionId == WireFixtures.junctionId)
            #expect(datagram.header.timeMilliseconds == 1_700_000_000_123)
        }
        let downstream: [WireMessage] = [
            .poll(PollRequest(requestId: 9, query: .status, maximumDatagrams: 1)),
            .poll(PollRequest(requestId: 10, query: .eventsAfter(77), maximumDatagrams: 32)),
            .poll(PollRequest(requestId: 11, query: .countsSince(1_700_000_000), maximumDatagrams: 4)),
            .poll(PollRequest(requestId: 12, query: .countsAfter(5))),
            .ack(Acknowledgement(eventsThrough: 1234, countsThrough: 56)),
        ]
        var central = WireFixtures.centralSealer()
        var junction = WireFixtures.junctionReceiver()
        for message in downstream {
            let datagram = try junction.open(central.seal(message, timeMilliseconds: 1)[...])
            #expect(datagram.message == message)
            #expect(datagram.header.senderId == 1)
        }
        #expect(receiver.accepted == 3)
        #expect(junction.accepted == 5)
    }

    @Test("a status report of the largest junction fits one datagram")
    func largestStatusFits() throws {
        var report = WireFixtures.sampleStatus
        report.groups = Array(repeating: StatusReport.Group(aspect: .green), count: StatusReport.maximumGroups)
        report.detectors = Array(repeating: StatusReport.Detector(), count: StatusReport.maximumDetectors)
        report.counters = Array(repeating: .max, count: StatusReport.maximumCounters)
        var sealer = WireFixtures.junctionSealer()
        let bytes = sealer.seal(.status(report), timeMilliseconds: 0)
        #expect(bytes.count <= WireFormat.maximumDatagramBytes)
        var receiver = WireFixtures.centralReceiver()
        #expect(try receiver.open(bytes[...]).message == .status(report))
    }

    @Test("split cuts records into numbered parts and says when more remain")
    func splitNumbersParts() {
        let records = WireFixtures.events(from: 1, count: 200)
        let (batches, taken) = EventBatch.split(
            records, requestId: 4, firstAvailable: 1, storedThrough: 500, maximumDatagrams: 3)
        #expect(batches.count == 3)
        #expect(taken == 3 * EventBatch.maximumRecords)
        #expect(batches.map(\.part) == [0, 1, 2])
        #expect(batches.allSatisfy { $0.parts == 3 && $0.requestId == 4 })
        #expect(batches.last?.moreAvailable == true)
        #expect(batches.dropLast().allSatisfy { !$0.moreAvailable })
        #expect(batches.flatMap(\.records) == Array(records.prefix(taken)))

        let (all, allTaken) = CountBatch.split(
            WireFixtures.bins(from: 1, count: 10), requestId: 0, firstAvailable: 1, storedThrough: 10,
            maximumDatagrams: 16)
        #expect(all.count == 1 && allTaken == 10 && all[0].moreAvailable == false)
        let (empty, none) = EventBatch.split([], requestId: 1, firstAvailable: 0, storedThrough: 0, maximumDatagrams: 4)
        #expect(empty.count == 1 && none == 0 && empty[0].records.isEmpty)
    }

    @Test("the wire code tables cover every case of the SignalCore enums they pin")
    func codeTablesAreComplete() {
        #expect(Set(WireCodes.aspects.map(\.rawValue)) == Set(SignalState.allCases.map(\.rawValue)))
        #expect(WireCodes.aspects.enumerated().allSatisfy { Int($0.element.rawValue) == $0.offset })
        #expect(Set(WireCodes.health.map(\.rawValue)) == Set(DetectorHealth.allCases.map(\.rawValue)))
        #expect(WireCodes.terminations.count <= 8)
        #expect(Set(StatusCounter.allCases.map(\.name)).count == StatusCounter.allCases.count)
        #expect(StatusCounter.allCases.count <= StatusReport.maximumCounters)
        #expect(Set(DropReason.allCases.map(\.counter)).count == DropReason.allCases.count)
    }

    @Test("keys: hex with spaces is accepted, odd digits, non-hex and wrong lengths are refused")
    func keyParsing() {
        #expect((try? WireKey(hex: " " + String(repeating: "ab", count: 16) + "\n")) != nil)
        #expect(throws: WireKey.Problem.notHex) { try WireKey(hex: String(repeating: "a", count: 33)) }
        #expect(throws: WireKey.Problem.notHex) { try WireKey(hex: String(repeating: "zz", count: 32)) }
        #expect(throws: WireKey.Problem.wrongLength(15)) { try WireKey(hex: String(repeating: "00", count: 15)) }
        #expect(throws: WireKey.Problem.wrongLength(65)) { try WireKey(hex: String(repeating: "00", count: 65)) }
    }
}
