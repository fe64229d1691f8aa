import FieldIO
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

/// The store writer's commit timer on a clock the test moves: no test waits out the interval.
@Suite struct StoreWriterClockTests {
    /// Moves `clock` by `nanoseconds` and waits until the writer has made the one pass the move
    /// wakes it for and begun waiting again. Valid while the writer is waiting on `clock` (after
    /// its first wait), since only a move ends that wait.
    static func advanceAndAwaitPass(_ clock: ManualClock, by nanoseconds: Int) -> Bool {
        let seen = clock.waits
        clock.advance(by: nanoseconds)
        return eventually { clock.waits >= seen + 1 }
    }

    @Test func anAcknowledgementIsCommittedWhenTheClockPassesTheCommitIntervalAndNotBefore() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path + "/junctiond.db"
        let store = try JunctionStore(path: path)
        let now = UInt64(StoreWriter.wallMilliseconds())
        let events = (1...3).map { index in
            JournalledEvent(
                record: EventRecord(timeMilliseconds: now + UInt64(index), code: 82, parameter: UInt16(index)),
                bootId: 1, journalSequence: UInt64(index))
        }
        _ = try store.commit(events: events, bins: [])
        let reader = try JunctionStore(path: path)
        let ledger = UpstreamLedger(marks: try store.marks(), storeAvailable: true)

        let configuration = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm)
        let field = SimulatedJunction(junction: configuration.junction, seed: 3)
        let engine = JunctionEngine(junction: configuration.junction, inputs: field, outputs: field)
        let settings = UpstreamSettings(
            junctionId: 7, key: .hex(String(repeating: "3c", count: 32)), centrals: [],
            commitIntervalMilliseconds: 5_000)
        let clock = ManualClock(startNanoseconds: 9_000_000_000)
        let writer = StoreWriter(
            store: store, engine: engine, ledger: ledger, settings: settings, bootId: 1, logger: Logger(label: "test"),
            clock: clock)
        // Central acknowledged two of the three since the writer last committed: it persists
        // that at its next commit.
        ledger.acknowledged(events: 2, counts: 0)
        try writer.start()
        defer { writer.stop() }
        #expect(eventually { clock.waits >= 1 }, "the writer waits on the clock")

        #expect(Self.advanceAndAwaitPass(clock, by: 5_000_000_000 - 1))
        #expect(ledger.snapshot().commits == 0, "one nanosecond before the commit interval")
        #expect(try reader.marks().eventsAcked == 0)

        #expect(Self.advanceAndAwaitPass(clock, by: 1))
        #expect(ledger.snapshot().commits == 1)
        #expect(try reader.marks().eventsAcked == 2)
    }
}
