import CentralCore
import Foundation
import SignalCore
import Synchronization
import Wire

/// What one benchmark phase measured.
struct BenchResult {
    var sent = 0
    /// Datagrams taken off the socket.
    var received = 0
    /// Reports that passed every check (for the raw phase: every datagram received).
    var accepted = 0
    /// Rows committed to the store.
    var stored = 0
    var dropped: UInt64 = 0
    var kernelDrops = 0
    /// From the first datagram received to the last one handled (and, for ingest, its commit).
    var seconds = 0.0
    /// CPU time of the receiving thread over the same span (system calls included).
    var cpuSeconds = 0.0

    var acceptedPerSecond: Double { seconds > 0 ? Double(accepted) / seconds : 0 }
    /// Reports one fully busy core would take: the figure that load from other processes does not distort.
    var acceptedPerCPUSecond: Double { cpuSeconds > 0 ? Double(accepted) / cpuSeconds : 0 }

    func line(phase: String) -> String {
        String(
            format: "  %@: sent %d, received %d, accepted %d, stored %d, dropped %llu, kernel buffer drops %d, lost %d; "
                + "%.2f s, %.0f/s; receiver CPU %.2f s, %.0f per CPU-second (%.1f µs each)",
            phase, sent, received, accepted, stored, dropped, kernelDrops, sent - accepted, seconds, acceptedPerSecond,
            cpuSeconds, acceptedPerCPUSecond, accepted > 0 ? cpuSeconds * 1e6 / Double(accepted) : 0)
    }
}

/// Set once by the sender thread when it has sent everything; read by the receiver.
final class BenchFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}

/// When a receiver's datagrams came: from the first to the last, the receiving thread's CPU time
/// at the first, and whether the socket has gone quiet since the sender finished.
struct ReceiveSpan {
    private(set) var first: UInt64 = 0
    private(set) var cpuFirst: UInt64 = 0
    private(set) var last: UInt64 = 0
    private var quietSince: UInt64 = 0

    /// Notes `count` datagrams received at `now` (monotonic nanoseconds); false once the sender
    /// is done and nothing has come for 200 ms, the receiver's cue to stop.
    mutating func receive(_ count: Int, at now: UInt64, senderDone: BenchFlag) -> Bool {
        guard count > 0 else { return !(senderDone.isSet && now - max(quietSince, 1) > 200_000_000) }
        if first == 0 {
            first = now
            cpuFirst = WallClock.threadCPUNanoseconds()
        }
        last = now
        quietSince = now
        return true
    }
}

/// A receiver under test: runs on the pinned thread until the sender is done and the socket has gone quiet.
/// Made on the main thread and then used by the receiver thread alone.
protocol BenchReceiver: AnyObject, Sendable {
    func run(until senderDone: BenchFlag) -> BenchResult
}

/// Phase 1: takes datagrams off the socket and touches one byte of each; nothing else.
final class RawReceiver: BenchReceiver, @unchecked Sendable {
    let socket: UDPSocket

    init(socket: UDPSocket) {
        self.socket = socket
    }

    func run(until senderDone: BenchFlag) -> BenchResult {
        var result = BenchResult()
        var span = ReceiveSpan()
        var checksum = 0
        while true {
            let count = (try? socket.receiveBatch { bytes, _ in checksum &+= Int(bytes.first ?? 0) }) ?? 0
            result.received += count
            if !span.receive(count, at: WallClock.monotonicNanoseconds(), senderDone: senderDone) { break }
        }
        result.accepted = result.received
        result.seconds = Double(span.last - span.first) / 1e9
        result.cpuSeconds = Double(WallClock.threadCPUNanoseconds() - span.cpuFirst) / 1e9
        if checksum == -1 { print("") }  // keeps the byte reads from being optimised away
        return result
    }
}

/// Phases 2 and 3: the real `CentralIngest` with its store, serviced (commits, acks) as `IngestLoop` does.
final class IngestReceiver: BenchReceiver, @unchecked Sendable {
    let socket: UDPSocket
    let ingest: CentralIngest
    let store: CentralStore
    let database: String

    init(socket: UDPSocket, entries: [JunctionEntry], database: String, synchronousFull: Bool) throws {
        self.socket = socket
        self.database = database
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        store = try CentralStore(path: database, synchronousFull: synchronousFull)
        // The bench sends nothing back (no junction listens), so polls are pushed far into the future.
        let config = CityConfig(
            databasePath: database, pollIntervalMilliseconds: 3_600_000, staleAfterMilliseconds: 3_600_000,
            junctions: entries)
        let board = CityBoard(junctions: entries, startedMilliseconds: WallClock.nowMilliseconds())
        ingest = try CentralIngest(config: config, store: store, board: board, bootID: 1)
    }

    func run(until senderDone: BenchFlag) -> BenchResult {
        var result = BenchResult()
        var span = ReceiveSpan()
        var lastService: Int64 = 0
        while true {
            var wall: Int64 = 0
            let count =
                (try? socket.receiveBatch { bytes, source in
                    if wall == 0 { wall = WallClock.nowMilliseconds() }
                    ingest.receive(bytes, from: source, nowMilliseconds: wall)
                }) ?? 0
            let now = WallClock.monotonicNanoseconds()
            wall = WallClock.nowMilliseconds()
            if wall - lastService >= IngestLoop.serviceIntervalMilliseconds {
                lastService = wall
                _ = ingest.service(nowMilliseconds: wall)
            } else {
                ingest.publish()
            }
            result.received += count
            if !span.receive(count, at: now, senderDone: senderDone) { break }
        }
        ingest.commit(nowMilliseconds: WallClock.nowMilliseconds())
        result.cpuSeconds = Double(WallClock.threadCPUNanoseconds() - span.cpuFirst) / 1e9
        let last = max(span.last, WallClock.monotonicNanoseconds() - 200_000_000)
        result.seconds = Double(last - span.first) / 1e9
        result.accepted = Int(ingest.centralCounters.statusReports)
        result.dropped = ingest.dropCounters.total
        result.stored = (try? StoreReader(path: database).totals().reports) ?? -1
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        return result
    }
}

/// The benchmark's traffic: realistic status reports (the Cirebon junction's 12 groups, 16 detectors, every counter).
enum BenchTraffic {
    static func key(for index: Int) -> WireKey {
        var bytes = [UInt8](repeating: 0, count: 32)
        var value = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        for position in bytes.indices {
            value ^= value >> 29
            value = value &* 0xBF58_476D_1CE4_E5B9
            bytes[position] = UInt8(truncatingIfNeeded: value >> 24)
        }
        // 32 bytes is within WireKey's allowed lengths.
        return try! WireKey(bytes: bytes)
    }

    /// `count` datagrams, round-robin over the junctions so each junction's sequence numbers ascend.
    static func build(entries: [JunctionEntry], count: Int) -> PackedDatagrams {
        var sealers = entries.map { DatagramSealer(junctionId: $0.id, senderId: 0, bootId: 1, key: $0.key) }
        var report = StatusReport()
        report.mode = .normal
        report.controllerMode = .normal
        report.stage = 2
        report.groups = (0..<12).map { StatusReport.Group(aspect: $0 % 3 == 0 ? .green : .red, call: $0 % 2 == 0) }
        report.detectors = (0..<16).map { StatusReport.Detector(presence: $0 % 4 == 0) }
        var packed = PackedDatagrams()
        let now = UInt64(WallClock.nowMilliseconds())
        for index in 0..<count {
            let junction = index % entries.count
            report.controllerTick = UInt64(index)
            report.timeInStageTenths = UInt32(index % 600)
            packed.append(sealers[junction].seal(.status(report), timeMilliseconds: now))
        }
        return packed
    }
}

/// The sender thread's work: everything as fast as the socket takes it, or paced to a rate.
enum BenchSender {
    static let chunk = 64

    /// Sends every datagram of `traffic`; returns how many the kernel accepted.
    static func send(_ traffic: PackedDatagrams, to destination: SocketAddress, ratePerSecond: Int?) -> Int {
        guard let socket = try? UDPSocket(bindingTo: SocketAddress("127.0.0.1:0")!, receiveBufferBytes: 1 << 16) else {
            return 0
        }
        let start = WallClock.monotonicNanoseconds()
        var next = 0
        while next < traffic.count {
            if let ratePerSecond {
                let due = start + UInt64(Double(next) / Double(ratePerSecond) * 1e9)
                while WallClock.monotonicNanoseconds() < due {}
            }
            let end = min(next + chunk, traffic.count)
            guard let sent = try? socket.sendBatch(traffic, range: next..<end, to: destination), sent > 0 else { break }
            next += sent
        }
        return next
    }
}

/// The kernel's count of UDP datagrams dropped for a full receive buffer (`RcvbufErrors` in /proc/net/snmp).
enum KernelUDPCounters {
    static func receiveBufferErrors() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/net/snmp", encoding: .utf8) else { return 0 }
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("Udp:") }
        guard lines.count >= 2 else { return 0 }
        let names = lines[0].split(separator: " ")
        let values = lines[1].split(separator: " ")
        guard let index = names.firstIndex(of: "RcvbufErrors"), index < values.count else { return 0 }
        return Int(values[index]) ?? 0
    }
}
