import Coordination
import FieldIO
import JunctionConfig
import RealTimeEngine
import RuntimeTestSupport
import SignalCore
import SystemInterface
import Testing
import UpstreamLink
import Wire

@testable import JunctionRuntime

/// The neighbour service over loopback, against a socket standing in for neighbour 2: this
/// junction's profiles leave sealed for it, and what arrives is accepted, or refused, counted and
/// logged by reason; a neighbour that falls silent goes stale. The engine is ticked by hand, so
/// the service's notion of time (the board's tick count) moves only when the test says.
@Suite(.serialized) struct NeighbourServiceTests {
    static let pairKey = "6e65696768626f75722d736572766963652d746573742d6b65792d3332627974"
    static let loopback = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 0)

    /// Junction 1 and its service, the peer's socket, and what the peer (junction 2) seals with.
    struct Rig {
        let engine: JunctionEngine
        let service: NeighbourService
        let peer: UpstreamSocket
        let log: CapturingLogHandler.Store
        var serviceAddress: UpstreamSettings.Address {
            UpstreamSettings.Address(octets: [127, 0, 0, 1], port: service.localPort)
        }

        func stop() { service.stop() }
    }

    static func rig() throws -> Rig {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm).junction
        let east = try #require(junction.groupIndex(named: "E"))
        let west = try #require(junction.groupIndex(named: "W"))
        let peer = try UpstreamSocket(binding: loopback)
        let settings = NeighbourSettings(
            junctionId: 1, listen: loopback,
            neighbours: [
                .init(
                    junctionId: 2, address: UpstreamSettings.Address(octets: [127, 0, 0, 1], port: peer.localPort()),
                    key: .hex(pairKey), outflow: [(west, 0.9)], inflow: [(east, 0.9)], travelTenths: 300)
            ])
        let field = SimulatedJunction(junction: junction, seed: 5)
        let adaptive = AdaptiveSettings(strategy: .advance)
        let engine = JunctionEngine(junction: junction, inputs: field, outputs: field, adaptive: adaptive, neighbours: settings)
        let (logger, log) = CapturingLogHandler.logger()
        let service = try NeighbourService(
            settings: settings, keys: [try WireKey(hex: pairKey)], engine: engine, link: try #require(engine.neighbours),
            bootId: 7, logger: logger)
        try service.start()
        return Rig(engine: engine, service: service, peer: peer, log: log)
    }

    /// Junction 2's view: its sender toward junction 1 (with `key`) and its receiver of junction 1's profiles.
    static func peerSide(key: String = pairKey) throws -> (NeighbourSender, NeighbourReceiver) {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm).junction
        let east = try #require(junction.groupIndex(named: "E"))
        let west = try #require(junction.groupIndex(named: "W"))
        let settings = NeighbourSettings(
            junctionId: 2, listen: loopback,
            neighbours: [.init(junctionId: 1, address: loopback, key: .hex(key), outflow: [(east, 0.9)], inflow: [(west, 0.9)], travelTenths: 300)])
        let wireKey = try WireKey(hex: key)
        let adaptive = AdaptiveSettings(strategy: .advance)
        return (
            NeighbourSender(settings: settings, keys: [wireKey], junction: junction, adaptive: adaptive, bootId: 99),
            NeighbourReceiver(
                settings: settings, keys: [wireKey],
                arrivals: NeighbourArrivals(groupCount: junction.groups.count, neighbours: settings)))
    }

    static func wallMilliseconds() -> UInt64 { UInt64(Clocks.realtimeNanoseconds() / 1_000_000) }

    static func oneVehiclePerSecond() -> OutflowProfile {
        var profile = OutflowProfile(startTenths: -10, bins: 61)
        for i in profile.vehicles.indices { profile.vehicles[i] = 1 }
        return profile
    }

    @Test func theTicksProfilesLeaveSealedForTheNeighbour() throws {
        let rig = try Self.rig()
        defer { rig.stop() }
        var (_, receiver) = try Self.peerSide()
        for tick in 1...10 { rig.engine.tick(tick) }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var received: (count: Int, from: UpstreamSettings.Address)?
        #expect(eventually { received = rig.peer.receive(into: &buffer); return received != nil })
        let count = try #require(received).count
        let verdict = receiver.open(buffer[0..<count], wallMilliseconds: Self.wallMilliseconds())
        guard case .accepted(0, let profile, _) = verdict else {
            Issue.record("the neighbour refused the profile: \(verdict)")
            return
        }
        #expect(profile.vehicles.count == 61 && profile.startTenths == -10)
        #expect(eventually { rig.service.counters().sent == [1] })
    }

    @Test func acceptedReplayedAndForgedMessagesAreCountedAndLogged() throws {
        let rig = try Self.rig()
        defer { rig.stop() }
        var (sender, _) = try Self.peerSide()
        var (forger, _) = try Self.peerSide(key: String(Self.pairKey.reversed()))
        for tick in 1...5 { rig.engine.tick(tick) }
        let genuine = sender.seal(profile: Self.oneVehiclePerSecond(), neighbour: 0, wallMilliseconds: Self.wallMilliseconds())
        let forged = forger.seal(profile: Self.oneVehiclePerSecond(), neighbour: 0, wallMilliseconds: Self.wallMilliseconds())
        #expect(rig.peer.send(genuine, to: rig.serviceAddress))
        #expect(eventually { rig.service.counters().counters.links[0].accepted == 1 })
        #expect(rig.peer.send(genuine, to: rig.serviceAddress))
        #expect(rig.peer.send(forged, to: rig.serviceAddress))
        #expect(eventually {
            let link = rig.service.counters().counters.links[0]
            return link[.replayed] == 1 && link[.unauthenticated] == 1
        })
        let snapshot = rig.service.counters()
        #expect(snapshot.counters.links[0].accepted == 1 && snapshot.counters.links[0].fresh)
        #expect(snapshot.announced[0] == 0.9, "one vehicle measured, times the inflow share")
        #expect(rig.log.all.contains { $0.contains("neighbour 2 dropped: replayed") || $0.contains("from neighbour 2 dropped: replayed") })
        #expect(rig.log.all.contains { $0.contains("dropped: unauthenticated") })
        let reports = snapshot.serviceReports(rig.service.settings)
        #expect(reports.map(\.name) == ["neighbours", "neighbour-2"])
        #expect(reports[1].state == "fresh" && reports[1].counters["drop_replayed"] == 1)
        #expect(snapshot.statusCounters[.neighbourDropUnauthenticated] == 1 && snapshot.statusCounters[.neighboursFresh] == 1)

        // On the next whole second the tick takes the forecast the service offered.
        for tick in 6...10 { rig.engine.tick(tick) }
        let link = try #require(rig.engine.neighbours)
        #expect(link.arrivals.isFresh(0))
    }

    @Test func aSilentNeighbourGoesStaleAndIsLogged() throws {
        let rig = try Self.rig()
        defer { rig.stop() }
        var (sender, _) = try Self.peerSide()
        rig.engine.tick(1)
        let message = sender.seal(profile: Self.oneVehiclePerSecond(), neighbour: 0, wallMilliseconds: Self.wallMilliseconds())
        #expect(rig.peer.send(message, to: rig.serviceAddress))
        #expect(eventually { rig.service.counters().counters.links[0].fresh })
        // stale_after (3 s) of ticks without a message.
        for tick in 2...40 { rig.engine.tick(tick) }
        #expect(eventually { rig.service.counters().counters.links[0].staleEvents == 1 })
        #expect(rig.service.counters().serviceReports(rig.service.settings)[1].state == "stale")
        #expect(rig.log.all.contains { $0.contains("neighbour 2 silent") })
        #expect(!(try #require(rig.engine.neighbours)).arrivals.isFresh(0))
    }
}
