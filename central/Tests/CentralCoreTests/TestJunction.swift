import CentralCore
import Foundation
import SignalCore
import Wire

/// A junction as the tests play it: seals datagrams with its key and reads central's answers with the junction-side
/// receiver, so both directions go through the real Wire code.
struct TestJunction {
    static let centralAddress = SocketAddress("127.0.0.1:47800")!

    let id: UInt32
    let key: WireKey
    let address: SocketAddress
    var sealer: DatagramSealer
    var receiver: WireReceiver

    init(id: UInt32, bootID: UInt64 = 1_000, port: UInt16 = 40_000) {
        self.id = id
        key = try! WireKey(bytes: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 7 &+ Int(id)) })
        address = SocketAddress("127.0.0.1:\(port + UInt16(id % 1000))")!
        sealer = DatagramSealer(junctionId: id, senderId: 0, bootId: bootID, key: key)
        receiver = WireReceiver(role: .junction(id: id), keys: [id: key])
    }

    var entry: JunctionEntry { JunctionEntry(id: id, name: "Junction \(id)", key: key) }

    mutating func status(
        mode: StatusReport.Mode = .normal, stage: Int? = 1, eventsStored: UInt64 = 0, countsStored: UInt64 = 0,
        eventsAcked: UInt64 = 0
    ) -> [UInt8] {
        var report = StatusReport()
        report.mode = mode
        report.controllerMode = mode == .normal ? .normal : .flash
        report.stage = stage
        report.groups = [StatusReport.Group(aspect: .green, call: true), StatusReport.Group(aspect: .red)]
        report.detectors = [StatusReport.Detector(presence: true), StatusReport.Detector()]
        report.eventsStoredThrough = eventsStored
        report.eventsAckedThrough = eventsAcked
        report.countsStoredThrough = countsStored
        return sealer.seal(.status(report), timeMilliseconds: 1_700_000_000_000)
    }

    mutating func events(
        _ numbers: ClosedRange<UInt64>, firstAvailable: UInt64 = 1, storedThrough: UInt64? = nil, requestID: UInt32 = 0
    ) -> [UInt8] {
        let records = numbers.map {
            EventRecord(recordNumber: $0, timeMilliseconds: 1_700_000_000_000 + $0 * 100, code: 1, parameter: 2)
        }
        let batch = EventBatch(
            requestId: requestID, firstAvailable: firstAvailable, storedThrough: storedThrough ?? numbers.upperBound,
            records: records)
        return sealer.seal(.events(batch), timeMilliseconds: 1_700_000_000_000)
    }

    /// A pushed batch of exactly these records.
    mutating func events(_ records: [EventRecord]) -> [UInt8] {
        let batch = EventBatch(
            requestId: 0, firstAvailable: 1, storedThrough: records.last?.recordNumber ?? 0, records: records)
        return sealer.seal(.events(batch), timeMilliseconds: 1_700_000_000_000)
    }

    mutating func counts(_ numbers: ClosedRange<UInt64>) -> [UInt8] {
        let bins = numbers.map {
            CountBin(
                recordNumber: $0, binStartSeconds: 1_699_999_200 + ($0 / 2) * 900, periodSeconds: 900,
                detector: UInt16($0 % 2 + 1), volume: UInt32($0 * 3), occupancyPermille: 120, observedSeconds: 900)
        }
        let batch = CountBatch(firstAvailable: 1, storedThrough: numbers.upperBound, records: bins)
        return sealer.seal(.counts(batch), timeMilliseconds: 1_700_000_000_000)
    }

    /// A pushed batch of exactly these count bins.
    mutating func counts(_ bins: [CountBin]) -> [UInt8] {
        let batch = CountBatch(firstAvailable: 1, storedThrough: bins.last?.recordNumber ?? 0, records: bins)
        return sealer.seal(.counts(batch), timeMilliseconds: 1_700_000_000_000)
    }

    /// Only the acknowledgements among central's datagrams to this junction.
    mutating func acks(in outgoing: [CentralIngest.Outgoing]) -> [Acknowledgement] {
        messages(in: outgoing).compactMap { message in
            if case .ack(let ack) = message { return ack }
            return nil
        }
    }

    /// Central's datagrams addressed to this junction, opened as the junction would (others are ignored).
    mutating func messages(in outgoing: [CentralIngest.Outgoing]) -> [WireMessage] {
        outgoing.filter { $0.address == address }.compactMap { receiver.receive($0.bytes[...])?.message }
    }
}

/// A central over a store in a fresh temporary file, fed datagrams by hand with a clock the test moves.
final class TestCentral {
    let path: String
    let board: CityBoard
    let ingest: CentralIngest
    let store: CentralStore
    var now: Int64 = 1_700_000_000_000

    init(junctions: [JunctionEntry], path: String? = nil, maximumPages: Int? = nil) throws {
        self.path = path ?? NSTemporaryDirectory() + "central-test-\(UUID().uuidString).sqlite"
        store = try CentralStore(path: self.path, maximumPages: maximumPages)
        board = CityBoard(junctions: junctions, startedMilliseconds: now)
        let config = CityConfig(
            databasePath: self.path, commitIntervalMilliseconds: 100, pollIntervalMilliseconds: 2_000,
            staleAfterMilliseconds: 3_000, junctions: junctions)
        ingest = try CentralIngest(config: config, store: store, board: board, bootID: 77)
    }

    func receive(_ bytes: [UInt8], from source: SocketAddress) {
        bytes.withUnsafeBytes { ingest.receive($0, from: source, nowMilliseconds: now) }
    }

    /// Moves the clock and runs the service round (commit, acks, polls).
    func advance(milliseconds: Int64 = 100) -> [CentralIngest.Outgoing] {
        now += milliseconds
        return ingest.service(nowMilliseconds: now)
    }

    func reader() throws -> StoreReader { try StoreReader(path: path) }

    func removeFiles() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
