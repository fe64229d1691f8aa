import FieldIO
import SignalCore
import Testing

@Suite struct ControllerOnSimulatorTests {
    /// The runtime's tick order (fill, step, apply, read back, check, toggle) for one hour of
    /// simulated traffic on the hand-built crossroads.
    @Test func actuatedControlServesEveryGroupForAnHour() {
        let junction = TestJunctions.crossroads()
        let simulator = SimulatedJunction(junction: junction, seed: 2024)
        let controller = SignalController(junction: junction)
        var monitor = SafetyMonitor(junction: junction)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var shown = Array(repeating: SignalState.dark, count: junction.groups.count)
        var greens = Array(repeating: 0, count: junction.groups.count)
        var longestQueue = Array(repeating: 0, count: junction.groups.count)
        var longestQueueLastQuarter = Array(repeating: 0, count: junction.groups.count)
        let hour = 36_000

        for tick in 1...hour {
            simulator.fill(&snapshot, tick: tick)
            controller.step(tick: tick, detectors: snapshot)
            simulator.apply(controller.signals, tick: tick)
            #expect(simulator.readBack(into: &shown))
            if let violation = monitor.check(tick: tick, states: shown) {
                Issue.record("monitor tripped on read-back: \(violation)")
                break
            }
            simulator.toggleWatchdog()
            for group in shown.indices {
                if shown[group] == .green {
                    greens[group] += 1
                }
                let queue = simulator.counters(group: group).queue
                longestQueue[group] = max(longestQueue[group], queue)
                if tick > hour * 3 / 4 {
                    longestQueueLastQuarter[group] = max(longestQueueLastQuarter[group], queue)
                }
            }
        }

        #expect(controller.fault == nil)
        #expect(controller.status.mode == .normal)
        for group in junction.groups.indices {
            let counters = simulator.counters(group: group)
            #expect(counters.arrived > 400, "group \(group) saw \(counters.arrived) vehicles")
            #expect(greens[group] > 0, "group \(group) never got green")
            #expect(longestQueue[group] < 60, "group \(group) queue reached \(longestQueue[group])")
            #expect(longestQueueLastQuarter[group] < 60)
            #expect(counters.departed * 100 >= counters.arrived * 97)
            #expect(counters.arrived == counters.departed + counters.queue)
        }
        #expect(simulator.watchdogToggles == hour)
    }
}
