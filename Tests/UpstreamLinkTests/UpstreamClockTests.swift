import FieldIO
import Glibc
import JunctionConfig
import Logging
import RealTimeEngine
import RuntimeTestSupport
import SignalCore
import Store
import SystemInterface
import Testing
import Wire

@testable import UpstreamLink

/// The upstream thread's timers on a clock the test moves: a real UDP socket on 127.0.0.1 stands
/// for central and decodes what arrives with Wire, and no test waits out a timer.
@Suite struct UpstreamClockTests {
    static let junctionId: UInt32 = 7
    static let keyHex = String(repeating: "3c", count: 32)
    /// The report interval of the settings below (10 tenths).
    static let intervalNanoseconds = 1_000_000_000

    /// Central's side: a bound UDP socket that opens what the junction sends.
    final class Central {
        let descriptor: CInt
        let address: UpstreamSettings.Address
        private var receiver = WireReceiver(role: .central, keys: [junctionId: try! WireKey(hex: keyHex)])

        init() throws {
            descriptor = try Syscall.socket(
                domain: AF_INET, type: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue))
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
            try Syscall.bind(descriptor, to: local, "127.0.0.1:0")
            let port = UInt16(bigEndian: try Syscall.localAddress(descriptor).sin_port)
            address = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: port)
        }

        deinit { Syscall.close(descriptor) }

        /// The next message the junction sends, waiting for it up to 5 s (a bound on waiting for
        /// the other thread, not a timer); nil when none comes or it does not open.
        func next() throws -> WireMessage? {
            guard try Syscall.waitReadable(descriptor, timeoutMilliseconds: 5_000) else { return nil }
            return try queued()
        }

        /// A message already queued, without waiting; nil when there is none.
        func queued() throws -> WireMessage? {
            var buffer = [UInt8](repeating: 0, count: 2048)
            guard let count = try buffer.withUnsafeMutableBytes({ try Syscall.receiveNow(descriptor, into: $0) }) else {
                return nil
            }
            return receiver.receive(buffer[..<count])?.message
        }
    }

    /// An upstream service on `clock` (running unless `start` is false), reporting to `central`,
    /// forwarding from `store`, and the ledger it shares with the (absent) store writer.
    static func service(
        clock: ManualClock, central: Central, store: sending JunctionStore?, in scratch: ScratchDirectory,
        start: Bool = true
    ) throws -> (UpstreamService, UpstreamLedger) {
        let configuration = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm)
        let field = SimulatedJunction(junction: configuration.junction, seed: 3)
        let engine = JunctionEngine(junction: configuration.junction, inputs: field, outputs: field)
        let settings = UpstreamSettings(
            junctionId: junctionId, key: .hex(keyHex), centrals: [central.address],
            listen: UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 0), reportIntervalTenths: 10, burst: 1)
        let ledger = UpstreamLedger(marks: try store?.marks() ?? StoreMarks(), storeAvailable: true)
        let service = try UpstreamService(
            settings: settings, key: try WireKey(hex: keyHex), bootId: 1_000, configHash: 0, engine: engine,
            ledger: ledger, reader: store, loopOverruns: { 0 },
            replayFile: UpstreamReplayFile(directory: scratch.path), replayState: ReplayState(),
            logger: Logger(label: "test"), clock: clock)
        if start { try service.start() }
        return (service, ledger)
    }

    /// Waits until the service's thread has read the clock twice more. A pass that sends nothing
    /// reads it once, so the second reading began a pass after every move made before this call
    /// and after every datagram the pass before it sent.
    static func awaitPass(_ clock: ManualClock) -> Bool {
        let seen = clock.reads
        return eventually { clock.reads >= seen + 2 }
    }

    static func isStatus(_ message: WireMessage?, _ reason: StatusReport.Reason) -> Bool {
        guard case .status(let report) = message else { return false }
        return report.reason == reason
    }

    @Test func aStatusReportGoesWhenTheClockPassesTheIntervalAndNotBefore() throws {
        let scratch = try ScratchDirectory()
        let central = try Central()
        let clock = ManualClock(startNanoseconds: 5_000_000_000)
        let (service, _) = try Self.service(clock: clock, central: central, store: nil, in: scratch)
        defer { service.stop() }

        // The first report goes on the first pass; the interval counts from its reading.
        #expect(Self.isStatus(try central.next(), .periodic))

        clock.advance(by: Self.intervalNanoseconds - 1)
        #expect(Self.awaitPass(clock))
        let early = try central.queued()
        #expect(early == nil, "one nanosecond before the interval: \(String(describing: early))")

        clock.advance(by: 1)
        #expect(Self.isStatus(try central.next(), .periodic))
        #expect(Self.awaitPass(clock))
        let extra = try central.queued()
        #expect(extra == nil, "one report per interval: \(String(describing: extra))")
    }

    /// A reload's file is reported as `config_hash` from the next report on.
    @Test func aReloadedFileIsReportedByItsHash() throws {
        let scratch = try ScratchDirectory()
        let central = try Central()
        let clock = ManualClock(startNanoseconds: 5_000_000_000)
        let (service, _) = try Self.service(clock: clock, central: central, store: nil, in: scratch)
        defer { service.stop() }
        guard case .status(let first) = try central.next() else { return #expect(Bool(false), "no first report") }
        #expect(first.configHash == 0)

        service.replaceConfigHash(0x0123_4567_89AB_CDEF)
        clock.advance(by: Self.intervalNanoseconds)
        guard case .status(let next) = try central.next() else { return #expect(Bool(false), "no second report") }
        #expect(next.configHash == 0x0123_4567_89AB_CDEF)
    }

    /// A store in `scratch` holding three events, none acknowledged.
    static func storeWithThreeEvents(in scratch: ScratchDirectory) throws -> sending JunctionStore {
        let store = try JunctionStore(path: scratch.path + "/junctiond.db")
        let events = (1...3).map { index in
            JournalledEvent(
                record: EventRecord(
                    timeMilliseconds: 1_700_000_000_000 + UInt64(index), code: 82, parameter: UInt16(index)),
                bootId: 1, journalSequence: UInt64(index))
        }
        _ = try store.commit(events: events, bins: [])
        return store
    }

    /// The first report, then the batch of the three stored records; nil, with the issue recorded,
    /// when they do not come so.
    static func firstReportAndRecords(from central: Central) throws -> EventBatch? {
        #expect(Self.isStatus(try central.next(), .periodic))
        guard case .events(let first) = try central.next() else {
            Issue.record("the records did not follow the first report")
            return nil
        }
        #expect(first.records.count == 3)
        return first
    }

    @Test func unacknowledgedRecordsAreSentAgainOnlyAfterTheRetransmitTime() throws {
        let scratch = try ScratchDirectory()
        let central = try Central()
        let clock = ManualClock()
        let (service, _) = try Self.service(
            clock: clock, central: central, store: try Self.storeWithThreeEvents(in: scratch), in: scratch)
        defer { service.stop() }

        // The first report, then the three records in one batch.
        guard let first = try Self.firstReportAndRecords(from: central) else { return }

        // Reports every interval; the records wait for an acknowledgement up to the retransmit
        // time (3 s, exactly three intervals here) and are not sent again within it.
        let intervals = UpstreamService.retransmitNanoseconds / Self.intervalNanoseconds
        for _ in 0..<intervals {
            clock.advance(by: Self.intervalNanoseconds)
            #expect(Self.isStatus(try central.next(), .periodic))
            #expect(Self.awaitPass(clock))
            let resent = try central.queued()
            #expect(resent == nil, "sent again within the retransmit time: \(String(describing: resent))")
        }

        // One more interval without an acknowledgement: go back to the acknowledged mark.
        clock.advance(by: Self.intervalNanoseconds)
        #expect(Self.isStatus(try central.next(), .periodic))
        guard case .events(let again) = try central.next() else {
            Issue.record("the unacknowledged records were not sent again")
            return
        }
        #expect(again.records == first.records)
    }

    @Test func acknowledgedRecordsAreNotSentAgain() throws {
        let scratch = try ScratchDirectory()
        let central = try Central()
        let clock = ManualClock()
        let (service, ledger) = try Self.service(
            clock: clock, central: central, store: try Self.storeWithThreeEvents(in: scratch), in: scratch)
        defer { service.stop() }
        guard try Self.firstReportAndRecords(from: central) != nil else { return }

        // Central acknowledges all three from the address the junction reports to.
        var sealer = DatagramSealer(
            junctionId: Self.junctionId, senderId: 1, bootId: 500, key: try WireKey(hex: Self.keyHex))
        let ack = sealer.seal(.ack(Acknowledgement(eventsThrough: 3, countsThrough: 0)), timeMilliseconds: 0)
        var junction = sockaddr_in()
        junction.sin_family = sa_family_t(AF_INET)
        junction.sin_port = service.localPort.bigEndian
        junction.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        _ = try ack.withUnsafeBytes { try Syscall.send(central.descriptor, $0, to: junction) }
        #expect(eventually { ledger.snapshot().marks.eventsAcked == 3 }, "the acknowledgement is taken")

        // Past the retransmit time: reports only.
        let intervals = UpstreamService.retransmitNanoseconds / Self.intervalNanoseconds + 2
        for _ in 0..<intervals {
            clock.advance(by: Self.intervalNanoseconds)
            #expect(Self.isStatus(try central.next(), .periodic))
            #expect(Self.awaitPass(clock))
            let resent = try central.queued()
            #expect(resent == nil, "sent again after the acknowledgement: \(String(describing: resent))")
        }
    }
}
