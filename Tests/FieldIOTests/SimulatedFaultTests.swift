import FieldIO
import SignalCore
import Testing

@Suite struct SimulatedFaultTests {
    let junction = TestJunctions.crossroads()

    @Test func readBackEqualsTheCommandUntilAGroupIsStuck() {
        let simulator = SimulatedJunction(junction: junction, seed: 1)
        var shown: [SignalState] = [.dark, .dark]
        simulator.apply([.green, .red], tick: 1)
        #expect(simulator.readBack(into: &shown))
        #expect(shown == [.green, .red])

        simulator.inject(.readBackStuck(group: 1, state: .green))
        simulator.apply([.amber, .red], tick: 2)
        #expect(simulator.readBack(into: &shown))
        #expect(shown == [.amber, .green])
        #expect(simulator.outputCounters.faults == 1)

        simulator.clearFaults()
        #expect(simulator.readBack(into: &shown))
        #expect(shown == [.amber, .red])
    }

    @Test func lostReadBackIsReportedAndLeavesTheLastKnownStates() {
        let simulator = SimulatedJunction(junction: junction, seed: 1)
        var shown: [SignalState] = [.red, .red]
        simulator.inject(.readBackLost)
        simulator.apply([.green, .red], tick: 1)
        #expect(!simulator.readBack(into: &shown))
        #expect(shown == [.red, .red])
        #expect(simulator.outputCounters.faults == 1)
        #expect(simulator.outputCounters.reads == 1)
        simulator.clearFaults()
        #expect(simulator.readBack(into: &shown))
        #expect(shown == [.green, .red])
    }

    @Test func stuckOnDetectorShowsPresenceWithoutFurtherActuations() {
        let simulator = SimulatedJunction(junction: junction, seed: 2)
        simulator.inject(.detectorStuckOn(detector: 2))
        var actuations = 0
        var alwaysPresent = true
        drive(simulator, ticks: 3000, lamps: { TestJunctions.cycling($0, groups: 2, periodTenths: 300) }) { tick in
            actuations += Int(tick.snapshot.actuations[2])
            alwaysPresent = alwaysPresent && tick.snapshot.presence[2]
        }
        #expect(alwaysPresent)
        #expect(actuations == 1)
        #expect(simulator.counters(group: 1).departed > 0)
        #expect(simulator.detectorCounters.faults == 1)
    }

    @Test func chatteringDetectorTogglesAtItsPeriod() {
        let simulator = SimulatedJunction(junction: junction, seed: 2)
        simulator.inject(.detectorChattering(detector: 1, periodTenths: 5))
        var actuations = 0
        var changes = 0
        var last: Bool?
        drive(simulator, from: 0, ticks: 600, lamps: { _ in [.red, .red] }) { tick in
            actuations += Int(tick.snapshot.actuations[1])
            if let last, last != tick.snapshot.presence[1] { changes += 1 }
            last = tick.snapshot.presence[1]
        }
        // 60 s at a 0.5 s half-period: one rise a second.
        #expect(actuations == 60)
        #expect(changes == 119)
    }

    @Test func silentDetectorMissesPassingTraffic() {
        let simulator = SimulatedJunction(junction: junction, seed: 6)
        simulator.inject(.detectorSilent(detector: 0))
        var actuations = 0
        var present = false
        drive(simulator, ticks: 3000, lamps: { _ in [.green, .red] }) { tick in
            actuations += Int(tick.snapshot.actuations[0])
            present = present || tick.snapshot.presence[0]
        }
        #expect(actuations == 0)
        #expect(!present)
        #expect(simulator.counters(group: 0).departed > 10)
    }

    @Test func lostDetectorIsReportedAsACommunicationFaultUntilCleared() {
        let simulator = SimulatedJunction(junction: junction, seed: 6)
        simulator.inject(.detectorCommunicationLost(detector: 1))
        var faultedTicks = 0
        var advanceActuations = 0
        drive(simulator, ticks: 2000, lamps: { _ in [.green, .red] }) { tick in
            faultedTicks += tick.snapshot.communicationFault[1] ? 1 : 0
            advanceActuations += Int(tick.snapshot.actuations[1])
            #expect(!tick.snapshot.presence[1])
            #expect(!tick.snapshot.communicationFault[0] && !tick.snapshot.communicationFault[2])
        }
        #expect(faultedTicks == 2000)
        #expect(advanceActuations == 0)
        #expect(simulator.counters(group: 0).arrived > 0)

        simulator.clearFaults()
        var recovered = 0
        drive(simulator, from: 2001, ticks: 2000, lamps: { _ in [.green, .red] }) { tick in
            #expect(!tick.snapshot.communicationFault[1])
            recovered += Int(tick.snapshot.actuations[1])
        }
        #expect(recovered > 0)
    }

    @Test func faultOnsetsAreCountedPerInjection() {
        let simulator = SimulatedJunction(junction: junction, seed: 6)
        simulator.inject(.detectorSilent(detector: 0))
        simulator.inject(.detectorStuckOn(detector: 0))
        simulator.inject(.readBackStuck(group: 0, state: .red))
        #expect(simulator.detectorCounters.faults == 2)
        #expect(simulator.outputCounters.faults == 1)
    }

    @Test func watchdogLineFlipsOnEveryToggle() {
        let simulator = SimulatedJunction(junction: junction, seed: 1)
        let outputs: any SignalOutputs = simulator
        let start = simulator.watchdogLevel
        outputs.toggleWatchdog()
        #expect(simulator.watchdogLevel != start)
        outputs.toggleWatchdog()
        #expect(simulator.watchdogLevel == start)
        #expect(simulator.watchdogToggles == 2)
    }

    @Test func worksThroughTheProtocolExistentials() {
        let simulator = SimulatedJunction(junction: junction, seed: 12)
        let inputs: any DetectorInputs = simulator
        let outputs: any SignalOutputs = simulator
        var snapshot = DetectorSnapshot(detectorCount: inputs.detectorCount)
        var shown = Array(repeating: SignalState.dark, count: outputs.groupCount)
        for tick in 1...1200 {
            inputs.fill(&snapshot, tick: tick)
            outputs.apply([.green, .red], tick: tick)
            #expect(outputs.readBack(into: &shown))
            outputs.toggleWatchdog()
        }
        #expect(shown == [.green, .red])
        #expect(inputs.detectorCounters.reads == 1200)
        #expect(outputs.outputCounters.writes == 1200)
        #expect(outputs.outputCounters.reads == 1200)
        #expect(simulator.counters(group: 0).departed > 0)
    }
}
