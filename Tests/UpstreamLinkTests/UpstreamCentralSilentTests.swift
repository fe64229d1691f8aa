import Glibc
import JunctionConfig
import RuntimeTestSupport
import Store
import SystemInterface
import Testing
import Wire

@testable import UpstreamLink

/// The `centralSilent` alarm on a clock the test moves (the harness is `UpstreamClockTests`'): it
/// counts from the last acknowledgement that moved a mark or from when records began to wait,
/// whichever is later, and resending the records does not restart it.
@Suite struct UpstreamCentralSilentTests {
    typealias Harness = UpstreamClockTests

    /// Report intervals in the silence the alarm waits out.
    static let silentIntervals = UpstreamService.silentNanoseconds / Harness.intervalNanoseconds

    /// Moves the clock one report interval and returns whether that report carries the alarm, with
    /// the events batches sent after it; nil, with the issue recorded, when no report comes.
    static func nextInterval(_ clock: ManualClock, _ central: Harness.Central) throws -> (silent: Bool, batches: Int)? {
        clock.advance(by: Harness.intervalNanoseconds)
        guard case .status(let report) = try central.next(), report.reason == .periodic else {
            Issue.record("no periodic report")
            return nil
        }
        #expect(Harness.awaitPass(clock))
        var batches = 0
        while let message = try central.queued() {
            if case .events = message { batches += 1 }
        }
        return (report.alarms.contains(.centralSilent), batches)
    }

    /// Central acknowledges events through `through`, from the address the junction reports to.
    static func acknowledge(through: UInt64, service: UpstreamService, central: Harness.Central) throws {
        var sealer = DatagramSealer(
            junctionId: Harness.junctionId, senderId: 1, bootId: 500, key: try WireKey(hex: Harness.keyHex))
        let ack = sealer.seal(.ack(Acknowledgement(eventsThrough: through, countsThrough: 0)), timeMilliseconds: 0)
        var junction = sockaddr_in()
        junction.sin_family = sa_family_t(AF_INET)
        junction.sin_port = service.localPort.bigEndian
        junction.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        _ = try ack.withUnsafeBytes { try Syscall.send(central.descriptor, $0, to: junction) }
    }

    @Test func recordsUnacknowledgedForThirtySecondsRaiseTheAlarmWhileResendsGoOn() throws {
        let scratch = try ScratchDirectory()
        let central = try Harness.Central()
        let clock = ManualClock()
        let (service, ledger) = try Harness.service(
            clock: clock, central: central, store: try Harness.storeWithThreeEvents(in: scratch), in: scratch)
        defer { service.stop() }
        guard try Harness.firstReportAndRecords(from: central) != nil else { return }

        // Central hears nothing (or acknowledges nothing) from the start, when the records already
        // wait. They are sent again on the first report past each retransmit time, and those
        // resends do not count as central answering.
        let resendEvery = UpstreamService.retransmitNanoseconds / Harness.intervalNanoseconds + 1
        for interval in 1...Self.silentIntervals + 1 {
            guard let (silent, batches) = try Self.nextInterval(clock, central) else { return }
            #expect(silent == (interval > Self.silentIntervals), "alarm after \(interval) s: \(silent)")
            #expect(batches == (interval % resendEvery == 0 ? 1 : 0), "batches after \(interval) s: \(batches)")
        }

        // An acknowledgement that moves the mark clears it at once.
        try Self.acknowledge(through: 3, service: service, central: central)
        #expect(eventually { ledger.snapshot().marks.eventsAcked == 3 }, "the acknowledgement is taken")
        guard let afterAck = try Self.nextInterval(clock, central) else { return }
        #expect(!afterAck.silent, "alarm after the acknowledgement")
    }

    @Test func theSilenceCountsFromWhenRecordsBeganToWaitNotFromTheLastAcknowledgement() throws {
        let scratch = try ScratchDirectory()
        let central = try Harness.Central()
        let clock = ManualClock()
        let (service, ledger) = try Harness.service(
            clock: clock, central: central, store: try Harness.storeWithThreeEvents(in: scratch), in: scratch)
        defer { service.stop() }
        guard try Harness.firstReportAndRecords(from: central) != nil else { return }
        try Self.acknowledge(through: 3, service: service, central: central)
        #expect(eventually { ledger.snapshot().marks.eventsAcked == 3 }, "the acknowledgement is taken")

        // Nothing waits, far longer than the alarm's silence: no alarm.
        for interval in 1...Self.silentIntervals + 10 {
            guard let (silent, _) = try Self.nextInterval(clock, central) else { return }
            #expect(!silent, "alarm with nothing waiting, after \(interval) s")
        }

        // Three more records begin to wait now (the store writer's commit, done here by hand): the
        // alarm waits its whole silence again.
        let writer = try JunctionStore(path: scratch.path + "/junctiond.db")
        let events = (4...6).map { index in
            JournalledEvent(
                record: EventRecord(timeMilliseconds: 1_700_000_000_000 + UInt64(index), code: 82, parameter: 0),
                bootId: 1, journalSequence: UInt64(index))
        }
        let marks = try writer.commit(events: events, bins: [])
        ledger.state.withLock { $0.marks.eventsLast = marks.eventsLast }
        for interval in 1...Self.silentIntervals + 1 {
            guard let (silent, _) = try Self.nextInterval(clock, central) else { return }
            #expect(silent == (interval > Self.silentIntervals), "alarm \(interval) s after new records: \(silent)")
        }
    }
}
