import Coordination
import FieldIO
import JunctionConfig
import SignalCore
import Testing

@testable import RealTimeEngine

/// The engine's side of the neighbour link: what the tick hands the service once a second, and
/// how the forecast the service offers reaches the tick and expires there.
@Suite struct NeighbourLinkTests {
    static func engine() throws -> (JunctionEngine, NeighbourLink, Junction) {
        let junction = try JunctionEngineTests.cirebon()
        let simulated = SimulatedJunction(junction: junction, seed: 7)
        let engine = JunctionEngine(
            junction: junction, inputs: simulated, outputs: simulated, adaptive: AdaptiveSettings(strategy: .advance),
            neighbours: TickAllocationTests.neighbours(of: junction))
        return (engine, try #require(engine.neighbours), junction)
    }

    @Test func profilesAreHandedOverOnceASecondWithTheMeasuredDepartures() throws {
        let (engine, link, _) = try Self.engine()
        var profiles = NeighbourExchange.emptyProfiles(2)
        #expect(link.exchange.takeOutflow(madeAfter: nil, into: &profiles) == nil, "nothing before the first second")
        var made: [Tenths] = []
        var departed = [0.0, 0.0]
        var last: Tenths?
        for tick in 1...3000 {
            engine.tick(tick)
            if let at = link.exchange.takeOutflow(madeAfter: last, into: &profiles) {
                made.append(at)
                last = at
                for n in 0..<2 {
                    #expect(profiles[n].startTenths == -OutflowProfile.binTenths)
                    #expect(profiles[n].vehicles.count == 61, "the measured second and the 60 s horizon")
                    departed[n] += profiles[n].vehicles[0]
                }
            }
        }
        #expect(made == Array(stride(from: 10, through: 3000, by: 10)), "one handover per whole second, none missed")
        // Five minutes of simulated traffic: the arterial's through groups send vehicles both ways.
        #expect(departed[0] > 0 && departed[1] > 0, "\(departed)")
    }

    @Test func theOfferedForecastReachesTheTickAndGoesStaleThere() throws {
        let (engine, link, junction) = try Self.engine()
        let east = try #require(junction.groupIndex(named: "E"))
        let forecast = NeighbourArrivals(groupCount: junction.groups.count, neighbours: link.settings)
        var profile = OutflowProfile(startTenths: 0, bins: 60)
        for i in profile.vehicles.indices { profile.vehicles[i] = 1 }
        forecast.merge(neighbour: 0, profile: profile, ageTenths: 0, tick: 10)
        link.exchange.offer(forecast)
        for tick in 1...9 { engine.tick(tick) }
        #expect(link.arrivals.expected(group: east, fromTenths: 0, toTenths: 600) == 0, "taken only on the second")
        engine.tick(10)
        #expect(link.arrivals.isFresh(0))
        // 30 s travel, then 60 one-vehicle bins at share 0.9: inside the first minute, 30 of them.
        let expected = link.arrivals.expected(group: east, fromTenths: 0, toTenths: 600)
        #expect(abs(expected - 27) < 0.01, "\(expected)")
        // The service falls silent (offers nothing new): past stale_after the tick drops the forecast.
        for tick in 11...(10 + link.settings.staleAfterTenths + 1) { engine.tick(tick) }
        #expect(!link.arrivals.isFresh(0))
        #expect(link.arrivals.expected(group: east, fromTenths: 0, toTenths: 600) == 0)
    }
}
