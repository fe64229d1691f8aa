import Coordination
import JunctionConfig
import SignalCore

/// The engine's side of the neighbour link: it projects this junction's outflow every tick,
/// trades profiles for the neighbours' forecast with the neighbour service once a second
/// (`exchange`), and keeps the forecast the strategy reads (`arrivals`) at the current tick.
///
/// Confined to the real-time thread, like the engine that owns it; other threads touch only
/// `exchange`. Every buffer is allocated at `init`: `tick` allocates nothing.
public final class NeighbourLink: @unchecked Sendable {
    /// The tick's one exchange with the neighbour service.
    public let exchange: NeighbourExchange
    /// The neighbours' forecast, as the strategy reads it; refreshed once a second from the
    /// exchange and cleared of silent neighbours every tick.
    public let arrivals: NeighbourArrivals
    /// The settings it was made from (the service builds its side from the same).
    public let settings: NeighbourSettings
    /// The `[adaptive]` tuning the projection and the forecast were made with.
    public let adaptive: AdaptiveSettings

    private var projection: OutflowProjection
    private var profiles: [OutflowProfile]
    /// The tick's actuations as the projection takes them (`DetectorSnapshot` counts in bytes).
    private var actuations: [Int]

    /// The link of `junction` to the neighbours `settings` names, with the `[adaptive]` tuning the
    /// projection and the forecast use (saturation headway, advance-loop travel time).
    public init(settings: NeighbourSettings, junction: Junction, adaptive: AdaptiveSettings) {
        self.settings = settings
        self.adaptive = adaptive
        projection = OutflowProjection(junction: junction, adaptive: adaptive, neighbours: settings)
        arrivals = NeighbourArrivals(groupCount: junction.groups.count, neighbours: settings)
        exchange = NeighbourExchange(
            neighbours: settings.neighbours.count,
            offered: NeighbourArrivals(groupCount: junction.groups.count, neighbours: settings))
        profiles = NeighbourExchange.emptyProfiles(settings.neighbours.count)
        actuations = Array(repeating: 0, count: junction.detectors.count)
    }

    /// Takes tick `tick`'s detector counts and lamps; on each whole second, makes a profile per
    /// neighbour and trades them for the forecast the service offered last.
    func tick(_ tick: Tenths, detectors: DetectorSnapshot, signals: [SignalState]) {
        for d in actuations.indices { actuations[d] = Int(detectors.actuations[d]) }
        projection.observe(tick: tick, actuations: actuations, signals: signals)
        if tick % OutflowProfile.binTenths == 0 {
            for n in profiles.indices { projection.profile(neighbour: n, tick: tick, into: &profiles[n]) }
            exchange.trade(outflow: profiles, madeAt: tick, forecast: arrivals)
        }
        arrivals.expire(tick: tick)
    }
}
