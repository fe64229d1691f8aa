import FieldGPIO
import FieldIO
import SignalCore
import Testing

@Suite struct EdgeAccumulatorTests {
    private let millisecond = 1_000_000
    private let staleAfter = 1_000_000_000

    private func rise(_ at: Int) -> DebounceFilter.Transition { .init(level: true, edgeNanoseconds: at) }
    private func fall(_ at: Int) -> DebounceFilter.Transition { .init(level: false, edgeNanoseconds: at) }

    @Test func risingEdgesReachExactlyOneTick() {
        var accumulator = EdgeAccumulator(levels: [false, false], nowNanoseconds: 0)
        var snapshot = DetectorSnapshot(detectorCount: 2)
        accumulator.accept(rise(10 * millisecond), detector: 0)
        accumulator.accept(fall(20 * millisecond), detector: 0)
        accumulator.accept(rise(30 * millisecond), detector: 0)
        accumulator.accept(rise(40 * millisecond), detector: 1)
        accumulator.heartbeat(nowNanoseconds: 50 * millisecond)

        accumulator.drain(into: &snapshot, nowNanoseconds: 100 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.actuations == [2, 1])
        #expect(snapshot.presence == [true, true])
        #expect(snapshot.communicationFault == [false, false])

        accumulator.drain(into: &snapshot, nowNanoseconds: 200 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.actuations == [0, 0], "each rise is handed over once")
        #expect(snapshot.presence == [true, true], "presence stays until a falling edge")
        #expect(accumulator.deliveredRises == [2, 1])
    }

    @Test func aPulseBetweenTwoTicksIsCountedThoughPresenceIsOffAgain() {
        var accumulator = EdgeAccumulator(levels: [false], nowNanoseconds: 0)
        var snapshot = DetectorSnapshot(detectorCount: 1)
        accumulator.accept(rise(10 * millisecond), detector: 0)
        accumulator.accept(fall(30 * millisecond), detector: 0)
        accumulator.drain(into: &snapshot, nowNanoseconds: 100 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.actuations == [1])
        #expect(snapshot.presence == [false])
    }

    @Test func latencyRunsFromTheKernelTimestampToTheConsumingTick() {
        var accumulator = EdgeAccumulator(levels: [false], nowNanoseconds: 0)
        var snapshot = DetectorSnapshot(detectorCount: 1)
        accumulator.accept(rise(10 * millisecond), detector: 0)
        accumulator.accept(fall(60 * millisecond), detector: 0)
        accumulator.drain(into: &snapshot, nowNanoseconds: 100 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(accumulator.latency.count == 2)
        #expect(accumulator.latency.maxNanoseconds == 90 * millisecond)
        #expect(accumulator.latency.percentileNanoseconds(0.5) == 40 * millisecond)
    }

    @Test func staleInputsAreFaultedAndTheirActuationsDiscardedNotDeliveredLate() {
        var accumulator = EdgeAccumulator(levels: [true], nowNanoseconds: 0)
        var snapshot = DetectorSnapshot(detectorCount: 1)
        accumulator.accept(rise(10 * millisecond), detector: 0)
        accumulator.drain(into: &snapshot, nowNanoseconds: 1_500 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.communicationFault == [true])
        #expect(snapshot.presence == [false], "stale presence is never used")
        #expect(snapshot.actuations == [0])
        #expect(accumulator.counters.faults == 1)
        #expect(accumulator.counters.drops == 1)

        accumulator.drain(into: &snapshot, nowNanoseconds: 1_600 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(accumulator.counters.faults == 1, "one onset however long the fault lasts")

        accumulator.heartbeat(nowNanoseconds: 1_650 * millisecond)
        accumulator.drain(into: &snapshot, nowNanoseconds: 1_700 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.communicationFault == [false])
        #expect(snapshot.presence == [true])
        #expect(snapshot.actuations == [0])
        #expect(accumulator.deliveredRises == [0])
    }

    @Test func aFailedLineIsFaultedAloneAndCountedOnce() {
        var accumulator = EdgeAccumulator(levels: [true, true], nowNanoseconds: 0)
        var snapshot = DetectorSnapshot(detectorCount: 2)
        accumulator.setLineFault(true, detector: 1)
        accumulator.setLineFault(true, detector: 1)
        accumulator.drain(into: &snapshot, nowNanoseconds: 10 * millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.communicationFault == [false, true])
        #expect(snapshot.presence == [true, false])
        #expect(accumulator.counters.faults == 1)
    }

    @Test func actuationsSaturateAt255AndTheRestIsCountedAsDropped() {
        var accumulator = EdgeAccumulator(levels: [false], nowNanoseconds: 0)
        var snapshot = DetectorSnapshot(detectorCount: 1)
        for index in 0..<300 {
            accumulator.accept(rise(index * 1000), detector: 0)
            accumulator.accept(fall(index * 1000 + 500), detector: 0)
        }
        accumulator.drain(into: &snapshot, nowNanoseconds: millisecond, staleAfterNanoseconds: staleAfter)
        #expect(snapshot.actuations == [255])
        #expect(accumulator.counters.drops == 45)
        #expect(accumulator.latencySamplesLost == 600 - EdgeAccumulator.pendingEdgeCapacity)
    }

    @Test func edgeCountsAndMissedEdgesAreKept() {
        var accumulator = EdgeAccumulator(levels: [false], nowNanoseconds: 0)
        accumulator.countEdges(read: 7, repeated: 2)
        #expect(accumulator.counters.reads == 7)
        #expect(accumulator.missedEdges == 2)
        #expect(accumulator.counters.drops == 2)
    }
}
