import SignalCore
import Testing

@testable import Diagnostics

@Suite struct JunctionObserverTests {
    @Test func intervalsStartWhenAnAspectIsSeenToBegin() {
        let run = ControllerRun()
        var observer = JunctionObserver(groupCount: 2, detectorCount: 2)
        observer.observe(run.step().0)
        // The first snapshot cannot know when startup flash began.
        #expect(observer.intervalTenths(group: 0, at: run.tick) == nil)
        var changedAt: Tenths?
        var previous = run.controller.signals
        for _ in 0..<200 {
            let (status, _) = run.step()
            observer.observe(status)
            if status.signals[0] != previous[0] { changedAt = status.tick }
            previous = status.signals
            if let changedAt {
                #expect(observer.intervalTenths(group: 0, at: status.tick) == status.tick - changedAt)
            }
        }
        #expect(changedAt != nil)
    }

    @Test func volumeCountsDetectorOnEventsAndOccupancyHeldSamples() {
        let run = ControllerRun()
        var observer = JunctionObserver(groupCount: 2, detectorCount: 2)
        var onTicks: [Tenths] = []
        var occupiedTicks = 0
        for index in 0..<600 {
            // Occupied 3 ticks in every 10.
            let present = index % 10 < 3
            let (status, events) = run.step(presence: [present, false])
            for event in events { observer.record(event) }
            if status.detectorPresence[0] { occupiedTicks += 1 }
            observer.observe(status)
            onTicks += events.filter { $0.code == .detectorOn && $0.parameter == 1 }.map(\.tick)
        }
        #expect(onTicks.count == 60)
        #expect(observer.actuations(detector: 0) == 60)
        #expect(observer.actuations(detector: 1) == 0)
        // The window holds the current second and the 59 before it.
        let newestSecond = run.tick / 10
        #expect(observer.recentActuations(detector: 0) == onTicks.filter { $0 / 10 > newestSecond - 60 }.count)
        #expect(abs(observer.occupancyPermille(detector: 0) - 300) <= 5)
        #expect(abs(observer.recentOccupancyPermille(detector: 0) - 300) <= 5)
        #expect(occupiedTicks == 180)
    }

    @Test func theSlidingMinuteForgetsOlderActivity() {
        var observer = JunctionObserver(groupCount: 1, detectorCount: 1)
        for tick in [5, 100, 590] {
            observer.record(ControllerEvent(tick: tick, code: .detectorOn, parameter: 1))
        }
        let run = ControllerRun()
        var status = run.step().0
        for tick in stride(from: 10, through: 1300, by: 10) {
            // The window is the current (partial) second and the 59 before it.
            status.tick = tick
            status.detectorPresence = [false]
            status.detectorHealth = [.ok]
            status.signals = [.red]
            observer.observe(status)
            if tick == 590 { #expect(observer.recentActuations(detector: 0) == 3) }
            if tick == 600 { #expect(observer.recentActuations(detector: 0) == 2) }
            if tick == 1100 { #expect(observer.recentActuations(detector: 0) == 1) }
        }
        #expect(observer.recentActuations(detector: 0) == 0)
        #expect(observer.actuations(detector: 0) == 3)
    }

    @Test func greensAndTheirEndsAreCountedPerGroup() {
        var observer = JunctionObserver(groupCount: 2, detectorCount: 0)
        let events: [(EventCode, Int)] = [
            (.phaseBeginGreen, 1), (.phaseGapOut, 1), (.phaseGreenTermination, 1), (.pedBeginWalk, 2),
            (.phaseGreenTermination, 2), (.phaseBeginGreen, 1), (.phaseMaxOut, 1), (.phaseGreenTermination, 1),
            (.phaseForceOff, 9), (.phaseBeginGreen, 0),
        ]
        for (code, parameter) in events { observer.record(ControllerEvent(tick: 1, code: code, parameter: parameter)) }
        let counts = observer.counts(junction: TestJunction.crossing())
        #expect(counts.groups[0].greens == 2 && counts.groups[0].gapOuts == 1 && counts.groups[0].maxOuts == 1)
        #expect(counts.groups[0].terminations == 2)
        #expect(counts.groups[1].greens == 1 && counts.groups[1].terminations == 1 && counts.groups[1].gapOuts == 0)
    }
}
