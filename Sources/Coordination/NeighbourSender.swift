import JunctionConfig
import SignalCore
import Wire

/// Projects this junction's outflow toward each neighbour and seals it, once a second, as one
/// `neighbourOutflow` datagram per neighbour with an outflow (docs/protocol.md, docs/coordination.md).
///
/// `observe` runs every tick and allocates nothing; `datagrams` and `seal` make the datagrams
/// (off the tick in the daemon). Each neighbour has its own sealer: header junction id = this
/// junction, sender id = the neighbour addressed, this run's boot id, sequence from 1.
public struct NeighbourSender {
    public let settings: NeighbourSettings
    /// The projection `observe` feeds and `datagrams` reads.
    public private(set) var projection: OutflowProjection
    private var sealers: [DatagramSealer]
    private var profile: OutflowProfile
    /// Datagrams sealed per neighbour.
    public private(set) var sent: [UInt64]

    /// A sender for `junction` under `settings`, with `keys[n]` the key shared with neighbour
    /// `n`, stamping `bootId` (larger for every later run, as for the upstream datagrams).
    public init(
        settings: NeighbourSettings, keys: [WireKey], junction: Junction, adaptive: AdaptiveSettings, bootId: UInt64
    ) {
        precondition(keys.count == settings.neighbours.count, "one key per neighbour")
        self.settings = settings
        projection = OutflowProjection(junction: junction, adaptive: adaptive, neighbours: settings)
        sealers = zip(settings.neighbours, keys).map { neighbour, key in
            DatagramSealer(junctionId: settings.junctionId, senderId: neighbour.junctionId, bootId: bootId, key: key)
        }
        profile = OutflowProfile(startTenths: 0, bins: projection.bins)
        sent = Array(repeating: 0, count: settings.neighbours.count)
    }

    /// Takes one tick's detector actuations and lamps (0 allocations).
    public mutating func observe(tick: Tenths, actuations: [Int], signals: [SignalState]) {
        projection.observe(tick: tick, actuations: actuations, signals: signals)
    }

    /// One sealed datagram for every neighbour with an outflow, with its profile as of `tick`.
    public mutating func datagrams(tick: Tenths, wallMilliseconds: UInt64) -> [(neighbour: Int, bytes: [UInt8])] {
        var out: [(neighbour: Int, bytes: [UInt8])] = []
        for (n, neighbour) in settings.neighbours.enumerated() where !neighbour.outflow.isEmpty {
            projection.profile(neighbour: n, tick: tick, into: &profile)
            out.append((n, seal(profile: profile, neighbour: n, wallMilliseconds: wallMilliseconds)))
        }
        return out
    }

    /// `profile` sealed for neighbour `n`, stamped `wallMilliseconds` (Unix ms), with the next sequence number.
    public mutating func seal(profile: OutflowProfile, neighbour n: Int, wallMilliseconds: UInt64) -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: OutflowProfile.payloadBytes(bins: profile.vehicles.count))
        profile.encode(into: &writer)
        sent[n] &+= 1
        return sealers[n].seal(type: .neighbourOutflow, payload: writer.bytes, timeMilliseconds: wallMilliseconds)
    }
}

extension OutflowProjection {
    /// The projection of `junction`'s outflow toward the neighbours of `settings`, by index,
    /// `settings.horizonTenths` ahead.
    public init(junction: Junction, adaptive: AdaptiveSettings, neighbours settings: NeighbourSettings) {
        self.init(
            junction: junction, settings: adaptive, outflows: settings.neighbours.map(\.outflow),
            horizonTenths: settings.horizonTenths)
    }
}

extension NeighbourArrivals {
    /// The forecast of a junction of `groupCount` groups from the neighbours of `settings`, by index.
    public convenience init(groupCount: Int, neighbours settings: NeighbourSettings) {
        self.init(
            groupCount: groupCount,
            links: settings.neighbours.map { Link(inflow: $0.inflow, travelTenths: $0.travelTenths) },
            staleAfterTenths: settings.staleAfterTenths)
    }
}
