import FieldIO
import SignalCore
import Testing

@Suite struct SimulatedTrafficTests {
    let junction = TestJunctions.crossroads()

    @Test func sameSeedGivesSameTraffic() {
        func run(seed: UInt64) -> [DrivenTick] {
            var ticks: [DrivenTick] = []
            drive(SimulatedJunction(junction: junction, seed: seed), ticks: 6000,
                  lamps: { TestJunctions.cycling($0, groups: 2, periodTenths: 300) },
                  observe: { ticks.append($0) })
            return ticks
        }
        let first = run(seed: 42)
        let again = run(seed: 42)
        let other = run(seed: 43)
        #expect(first.map(\.snapshot) == again.map(\.snapshot))
        #expect(first.map(\.counters) == again.map(\.counters))
        #expect(first.last!.counters[0].arrived > 0)
        #expect(first.map(\.counters) != other.map(\.counters))
    }

    @Test func arrivalsDoNotDependOnTheLamps() {
        let allRed = SimulatedJunction(junction: junction, seed: 9)
        let allGreen = SimulatedJunction(junction: junction, seed: 9)
        drive(allRed, ticks: 3000, lamps: { _ in [.red, .red] })
        drive(allGreen, ticks: 3000, lamps: { _ in [.green, .green] })
        for group in 0..<2 {
            #expect(allRed.counters(group: group).arrived == allGreen.counters(group: group).arrived)
            #expect(allRed.counters(group: group).departed == 0)
            #expect(allGreen.counters(group: group).departed > 0)
        }
    }

    @Test func changingOneFlowLeavesTheOtherGroupsTrafficAlone() {
        var demand = SimulatedDemand(junction: junction)
        let base = SimulatedJunction(junction: junction, seed: 5, demand: demand)
        demand.flowsPerHour[0] = 1500
        let busier = SimulatedJunction(junction: junction, seed: 5, demand: demand)
        drive(base, ticks: 3000, lamps: { _ in [.red, .red] })
        drive(busier, ticks: 3000, lamps: { _ in [.red, .red] })
        #expect(base.counters(group: 1) == busier.counters(group: 1))
        #expect(busier.counters(group: 0).arrived > base.counters(group: 0).arrived)
    }

    @Test func defaultDemandFollowsGroupKinds() {
        let demand = SimulatedDemand(junction: TestJunctions.pedestrianCrossing())
        #expect(demand.flowsPerHour == [600, 60])
        #expect(demand.motorcyclePerMille == 600)
        #expect(demand.motorcycle.headwayTenths < demand.car.headwayTenths)
    }

    @Test func vehiclesDischargeOnlyOnGreen() {
        var demand = SimulatedDemand(junction: junction, vehicleFlowPerHour: 1200)
        demand.flowsPerHour[1] = 1800
        let simulator = SimulatedJunction(junction: junction, seed: 11, demand: demand)
        var departuresOnGreen = 0
        var previous: [SimulatedGroupCounters]?
        drive(simulator, ticks: 12_000, lamps: { TestJunctions.cycling($0, groups: 2, periodTenths: 400) }) { tick in
            let before = previous ?? tick.counters.map { _ in SimulatedGroupCounters() }
            for group in 0..<2 where tick.counters[group].departed > before[group].departed {
                #expect(tick.lampsInForce[group] == .green, "departure at \(tick.tick) on \(tick.lampsInForce[group])")
                departuresOnGreen += 1
            }
            previous = tick.counters
        }
        #expect(departuresOnGreen > 100)
    }

    @Test func greenStageReducesTheQueue() {
        let demand = SimulatedDemand(junction: junction, vehicleFlowPerHour: 900)
        let simulator = SimulatedJunction(junction: junction, seed: 3, demand: demand)
        drive(simulator, ticks: 900, lamps: { _ in [.red, .red] })
        let before = simulator.queueLengths
        #expect(before[0] >= 5)
        drive(simulator, from: 901, ticks: 300, lamps: { _ in [.green, .red] })
        let after = simulator.queueLengths
        #expect(after[0] < before[0])
        #expect(after[1] >= before[1])
    }

    @Test func dischargeKeepsTheSaturationHeadway() {
        var demand = SimulatedDemand(junction: junction, vehicleFlowPerHour: 1500, motorcyclePerMille: 0)
        demand.flowsPerHour[1] = 0
        let simulator = SimulatedJunction(junction: junction, seed: 21, demand: demand)
        drive(simulator, ticks: 3000, lamps: { _ in [.red, .red] })
        let queued = simulator.counters(group: 0).queue
        let greenTicks = 400
        drive(simulator, from: 3001, ticks: greenTicks, lamps: { _ in [.green, .red] })
        let departed = simulator.counters(group: 0).departed
        // Cars leave every 2 s after the start-up loss: 40 s of green serves at most 20.
        let usable = greenTicks - 1 - demand.startLossTenths
        #expect(queued > 25)
        #expect(departed <= usable / demand.car.headwayTenths + 1)
        #expect(departed >= usable / demand.car.headwayTenths - 1)
    }

    @Test func pushButtonsActuateAndWalkClearsTheKerb() {
        let crossing = TestJunctions.pedestrianCrossing()
        let demand = SimulatedDemand(junction: crossing, pedestrianFlowPerHour: 300)
        let simulator = SimulatedJunction(junction: crossing, seed: 17, demand: demand)
        var presses = 0
        var pressedTicks = 0
        drive(simulator, ticks: 6000, lamps: { _ in [.green, .dontWalk] }) { tick in
            presses += Int(tick.snapshot.actuations[1])
            pressedTicks += tick.snapshot.presence[1] ? 1 : 0
        }
        let waiting = simulator.counters(group: 1).queue
        #expect(presses > 0)
        #expect(presses <= simulator.counters(group: 1).arrived)
        #expect(pressedTicks >= presses * demand.buttonPressTenths)
        #expect(waiting == simulator.counters(group: 1).arrived)

        var pressesDuringWalk = 0
        drive(simulator, from: 6001, ticks: 600, lamps: { _ in [.red, .walk] }) { tick in
            if tick.tick > 6001 {
                pressesDuringWalk += Int(tick.snapshot.actuations[1])
            }
        }
        #expect(simulator.counters(group: 1).queue == 0)
        #expect(simulator.counters(group: 1).departed == simulator.counters(group: 1).arrived)
        #expect(pressesDuringWalk == 0)
    }

    @Test func advanceLoopsPulseBeforeTheStopLine() {
        var demand = SimulatedDemand(junction: junction, vehicleFlowPerHour: 300)
        demand.flowsPerHour[1] = 0
        let simulator = SimulatedJunction(junction: junction, seed: 8, demand: demand)
        var advanceEdges: [Tenths] = []
        var stopLineEdges: [Tenths] = []
        drive(simulator, ticks: 6000, lamps: { _ in [.green, .red] }) { tick in
            if tick.snapshot.actuations[1] > 0 { advanceEdges.append(tick.tick) }
            if tick.snapshot.actuations[0] > 0 { stopLineEdges.append(tick.tick) }
        }
        let travel = demand.advanceTravelTenths
        #expect(stopLineEdges.count > 10)
        #expect(advanceEdges.first! < stopLineEdges.first!)
        for stopLine in stopLineEdges {
            #expect(advanceEdges.contains { (travel...(travel + 60)).contains(stopLine - $0) },
                    "no advance pulse before the stop-line arrival at \(stopLine)")
        }
        // Free-flowing on a held green, each vehicle actuates the stop-line loop once.
        #expect(stopLineEdges.count == simulator.counters(group: 0).departed)
    }

    @Test func stopLineLoopCountsEachVehicleOnceThroughQueues() {
        let demand = SimulatedDemand(junction: junction, vehicleFlowPerHour: 1000)
        let simulator = SimulatedJunction(junction: junction, seed: 13, demand: demand)
        var stopLineActuations = [0, 0]
        drive(simulator, ticks: 12_000, lamps: { TestJunctions.cycling($0, groups: 2, periodTenths: 350) }) { tick in
            stopLineActuations[0] += Int(tick.snapshot.actuations[0])
            stopLineActuations[1] += Int(tick.snapshot.actuations[2])
        }
        for (group, actuations) in stopLineActuations.enumerated() {
            let counters = simulator.counters(group: group)
            // Every departed vehicle crossed the loop; at most the queue's head stands on it now.
            #expect(actuations >= counters.departed)
            #expect(actuations <= counters.departed + 1)
        }
    }

    @Test func countersAddUp() {
        let demand = SimulatedDemand(junction: junction, vehicleFlowPerHour: 1200)
        let simulator = SimulatedJunction(junction: junction, seed: 99, demand: demand)
        var queueSum = [0, 0]
        var fills = 0
        drive(simulator, ticks: 40_000, lamps: { TestJunctions.cycling($0, groups: 2, periodTenths: 450) }) { tick in
            fills += 1
            for group in 0..<2 {
                let counters = tick.counters[group]
                #expect(counters.arrived == counters.departed + counters.queue)
                queueSum[group] += counters.queue
            }
        }
        for group in 0..<2 {
            let counters = simulator.counters(group: group)
            #expect(counters.delayTenths == queueSum[group])
            #expect(counters.delayVehicleSeconds == Double(queueSum[group]) / 10)
            let share = Double(counters.motorcyclesArrived) / Double(counters.arrived)
            #expect(counters.arrived > 1000)
            #expect(share > 0.55 && share < 0.65, "motorcycle share \(share)")
        }
        let totals = simulator.totals
        #expect(totals.arrived == simulator.counters(group: 0).arrived + simulator.counters(group: 1).arrived)
        #expect(totals.arrived == totals.departed + totals.queue)
        #expect(simulator.detectorCounters.reads == fills)
        #expect(simulator.outputCounters.writes == fills)
    }

    @Test func skippedTicksAreCaughtUpAndRepeatedTicksAddNothing() {
        let stepwise = SimulatedJunction(junction: junction, seed: 4)
        let jumping = SimulatedJunction(junction: junction, seed: 4)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var stepwiseActuations = Array(repeating: 0, count: junction.detectors.count)
        for tick in 10...2000 {
            stepwise.fill(&snapshot, tick: tick)
            for index in snapshot.actuations.indices { stepwiseActuations[index] += Int(snapshot.actuations[index]) }
        }
        var jumpingActuations = Array(repeating: 0, count: junction.detectors.count)
        for tick in stride(from: 10, through: 2000, by: 10) {
            jumping.fill(&snapshot, tick: tick)
            for index in snapshot.actuations.indices { jumpingActuations[index] += Int(snapshot.actuations[index]) }
        }
        #expect(jumping.simulatedTick == 2000)
        #expect(jumping.totals == stepwise.totals)
        #expect(jumpingActuations == stepwiseActuations)
        #expect(stepwiseActuations.reduce(0, +) > 0)

        jumping.fill(&snapshot, tick: 2000)
        jumping.fill(&snapshot, tick: 1500)
        #expect(snapshot.actuations.allSatisfy { $0 == 0 })
        #expect(jumping.totals == stepwise.totals)
    }
}
