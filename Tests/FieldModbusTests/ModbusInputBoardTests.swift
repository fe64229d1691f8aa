import SignalCore
import Testing

@testable import FieldModbus

/// The detector board with a clock moved by hand: unit 0 goes stale after 300 ms, unit 1 after 600 ms.
@Suite struct ModbusInputBoardTests {
    static let millisecond = 1_000_000
    let board = ModbusInputBoard(
        unitOfDetector: [0, 0, 1, nil], staleAfterNanoseconds: [300 * millisecond, 600 * millisecond])
    var snapshot = DetectorSnapshot(detectorCount: 4)

    private func reading(_ detector: Int, presence: Bool? = nil, counter: UInt16? = nil) -> ModbusInputBoard.Reading {
        ModbusInputBoard.Reading(detector: detector, presence: presence, counter: counter)
    }

    @Test mutating func aFreshReadingIsCopiedAndActuationsReportedOnce() {
        _ = board.publish(
            unit: 0, sampledNanoseconds: 0, readings: [reading(0, presence: false), reading(1, counter: 10)],
            continuous: true)
        _ = board.publish(
            unit: 0, sampledNanoseconds: 100 * Self.millisecond,
            readings: [reading(0, presence: true), reading(1, counter: 13)], continuous: true)
        board.fill(&snapshot, nowNanoseconds: 150 * Self.millisecond)
        #expect(snapshot.presence[0] && !snapshot.presence[1])
        #expect(snapshot.actuations[0] == 1 && snapshot.actuations[1] == 3)
        #expect(!snapshot.communicationFault[0] && !snapshot.communicationFault[1])
        board.fill(&snapshot, nowNanoseconds: 160 * Self.millisecond)
        #expect(snapshot.presence[0], "presence stays while the reading is fresh")
        #expect(snapshot.actuations[0] == 0 && snapshot.actuations[1] == 0, "each actuation is reported once")
        #expect(board.counters.reads == 2)
    }

    @Test mutating func aReadingOlderThanTheLimitIsACommunicationFaultCountedOnce() {
        _ = board.publish(
            unit: 0, sampledNanoseconds: 0, readings: [reading(0, presence: true), reading(1, presence: false)],
            continuous: true)
        board.fill(&snapshot, nowNanoseconds: 300 * Self.millisecond)
        #expect(!snapshot.communicationFault[0] && snapshot.presence[0], "exactly at the limit is still fresh")
        board.fill(&snapshot, nowNanoseconds: 300 * Self.millisecond + 1)
        #expect(snapshot.communicationFault[0] && snapshot.communicationFault[1])
        #expect(!snapshot.presence[0], "stale presence is never used")
        board.fill(&snapshot, nowNanoseconds: 900 * Self.millisecond)
        #expect(board.counters.faults >= 2)
        let faultsWhileStale = board.counters.faults
        _ = board.publish(
            unit: 0, sampledNanoseconds: 950 * Self.millisecond,
            readings: [reading(0, presence: false), reading(1, presence: true)], continuous: false)
        board.fill(&snapshot, nowNanoseconds: 960 * Self.millisecond)
        #expect(!snapshot.communicationFault[0] && snapshot.presence[1])
        #expect(snapshot.actuations[1] == 0, "presence after a gap is not a new actuation")
        board.fill(&snapshot, nowNanoseconds: 2000 * Self.millisecond)
        #expect(board.counters.faults == faultsWhileStale + 2, "a new outage counts each detector once more")
    }

    @Test mutating func eachUnitHasItsOwnLimitAndAnUnwiredDetectorIsAlwaysFaulted() {
        _ = board.publish(unit: 0, sampledNanoseconds: 0, readings: [reading(0, presence: true)], continuous: true)
        _ = board.publish(unit: 1, sampledNanoseconds: 0, readings: [reading(2, presence: true)], continuous: true)
        board.fill(&snapshot, nowNanoseconds: 400 * Self.millisecond)
        #expect(snapshot.communicationFault[0])
        #expect(!snapshot.communicationFault[2] && snapshot.presence[2])
        #expect(snapshot.communicationFault[3])
    }

    @Test mutating func actuationsAreCappedAt255PerTickAndTheExcessCountedAsDropped() {
        _ = board.publish(unit: 0, sampledNanoseconds: 0, readings: [reading(1, counter: 0)], continuous: true)
        for step in 1...2 {
            _ = board.publish(
                unit: 0, sampledNanoseconds: step, readings: [reading(1, counter: UInt16(step * 200))], continuous: true
            )
        }
        board.fill(&snapshot, nowNanoseconds: 10)
        #expect(snapshot.actuations[1] == 255)
        #expect(board.counters.drops == 145)
    }

    @Test mutating func actuationsPendingWhenTheUnitGoesStaleAreDropped() {
        _ = board.publish(unit: 0, sampledNanoseconds: 0, readings: [reading(1, counter: 0)], continuous: true)
        _ = board.publish(unit: 0, sampledNanoseconds: 1, readings: [reading(1, counter: 4)], continuous: true)
        board.fill(&snapshot, nowNanoseconds: 400 * Self.millisecond)
        #expect(snapshot.actuations[1] == 0 && snapshot.communicationFault[1])
        #expect(board.counters.drops == 4)
    }

    @Test func counterResetsAreReturnedForTheLog() {
        _ = board.publish(unit: 0, sampledNanoseconds: 0, readings: [reading(1, counter: 9000)], continuous: true)
        #expect(
            board.publish(unit: 0, sampledNanoseconds: 1, readings: [reading(1, counter: 2)], continuous: true) == [1])
        #expect(board.counters.drops == 1)
    }
}
