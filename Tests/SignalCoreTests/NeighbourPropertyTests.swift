import PropertyBased
import SignalCore
import Testing

/// The advance strategy with random neighbour forecasts injected, on random valid junctions:
/// every tick is checked by `IndependentSafetyChecker` and the controller's own monitor, a second
/// controller fed the same inputs must match it exactly, and the forecasts must have changed some
/// decisions (against an isolated controller on the same traffic), so the property is not vacuous.
///
/// The forecasts are anything a neighbour could send: profiles of 0–120 bins of 0–50 vehicles,
/// shifted by any age and travel time, lost, stale and replaced at random. Release only
/// (scripts/test.sh's RELEASE_SUITES): `swift test -c release --filter NeighbourPropertyTests`.
@Suite struct NeighbourPropertyTests {
    static let cases = 40
    static let hoursPerCase = 0.25

    @Test(.shrinking) func safeWithAnyNeighbourForecast() async {
        let changed = Counter()
        await propertyCheck(count: Self.cases, input: JunctionGenerator.cases(strategies: [.advance])) { generated in
            let outcome = Self.run(generated, ticks: Int(Self.hoursPerCase * 36_000))
            for issue in outcome.issues { Issue.record("\(issue)\n\(generated)") }
            changed.add(outcome.differingTicks)
        }
        #expect(changed.total > 0, "no neighbour forecast ever changed a lamp: the property tests nothing")
    }

    final class Counter: @unchecked Sendable {
        private(set) var total = 0
        func add(_ n: Int) { total += n }
    }

    struct Outcome {
        var issues: [String] = []
        var differingTicks = 0
    }

    /// Random links into the junction's vehicle groups.
    static func links(_ junction: Junction, _ random: inout SeededRandom) -> [NeighbourArrivals.Link] {
        let vehicles = junction.groups.indices.filter { junction.groups[$0].kind != .pedestrian }
        guard !vehicles.isEmpty else { return [] }
        return (0..<random.int(1...3)).map { _ in
            let fed = (0..<random.int(1...2)).map { _ in vehicles[random.int(0...(vehicles.count - 1))] }
            return NeighbourArrivals.Link(
                inflow: fed.map { (group: $0, share: Double(random.int(10...100)) / 100 / Double(fed.count)) },
                travelTenths: random.int(0...900))
        }
    }

    static func profile(_ random: inout SeededRandom) -> OutflowProfile {
        var profile = OutflowProfile(startTenths: random.int(-30...30), bins: random.int(0...OutflowProfile.maximumBins))
        let heavy = random.chance(percent: 10)
        for i in profile.vehicles.indices where random.chance(percent: heavy ? 90 : 30) {
            profile.vehicles[i] = heavy ? OutflowProfile.maximumVehiclesPerBin : Double(random.int(0...300)) / 100
        }
        return profile
    }

    static func run(_ generated: JunctionCase, ticks: Int) -> Outcome {
        var outcome = Outcome()
        let junction = generated.junction
        let settings = AdaptiveSettings(strategy: .advance)
        var random = SeededRandom(seed: generated.trafficSeed ^ 0x5EED_0F_4E16)
        let links = Self.links(junction, &random)
        func forecast() -> NeighbourArrivals {
            NeighbourArrivals(
                groupCount: junction.groups.count, links: links, staleAfterTenths: 30)
        }
        let arrivals = forecast()
        let twinArrivals = forecast()
        let controller = SignalController(junction: junction, strategy: settings.makeStrategy(for: junction, neighbours: arrivals))
        let twin = SignalController(junction: junction, strategy: settings.makeStrategy(for: junction, neighbours: twinArrivals))
        let isolated = SignalController(junction: junction, strategy: settings.makeStrategy(for: junction))
        if let plan = generated.startPlan {
            _ = controller.submit(.selectPlan(plan))
            _ = twin.submit(.selectPlan(plan))
            _ = isolated.submit(.selectPlan(plan))
        }
        var traffic = DetectorTrafficGenerator(junction: junction, seed: generated.trafficSeed)
        var checker = IndependentSafetyChecker(junction: junction)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        var silentUntil = 0
        for tick in 1...max(ticks, 1) {
            // Once a second each neighbour may speak, unless the link is lost or silent for a while.
            if tick % 10 == 0 && tick >= silentUntil {
                if random.chance(percent: 2) { silentUntil = tick + random.int(30...600) }
                for n in links.indices where random.chance(percent: 70) {
                    let profile = Self.profile(&random)
                    let age = random.int(0...25)
                    arrivals.merge(neighbour: n, profile: profile, ageTenths: age, tick: tick)
                    twinArrivals.merge(neighbour: n, profile: profile, ageTenths: age, tick: tick)
                }
            }
            arrivals.expire(tick: tick)
            twinArrivals.expire(tick: tick)
            traffic.fill(&snapshot, tick: tick)
            controller.step(tick: tick, detectors: snapshot)
            twin.step(tick: tick, detectors: snapshot)
            isolated.step(tick: tick, detectors: snapshot)
            if let finding = checker.observe(tick: tick, aspects: controller.signals) {
                outcome.issues.append("independent checker after \(tick) ticks: \(finding)")
            }
            if let fault = controller.fault { outcome.issues.append("controller's monitor tripped after \(tick) ticks: \(fault)") }
            if twin.signals != controller.signals || twin.tickEvents != controller.tickEvents {
                outcome.issues.append("tick \(tick): a second controller fed the same inputs and forecasts differs")
            }
            if !outcome.issues.isEmpty { break }
            if isolated.signals != controller.signals { outcome.differingTicks += 1 }
        }
        return outcome
    }
}
