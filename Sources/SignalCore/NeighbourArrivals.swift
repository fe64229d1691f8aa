/// Vehicles the neighbours announce for this junction's stop lines, per group, in one-second bins
/// ahead of now: the forecast beyond what the advance loops see.
///
/// Each neighbour's profiles are kept in this junction's time: a vehicle a profile places at `t`
/// (relative to when the neighbour made it) is due at this stop line `t − age + travel` after the
/// message arrived, where `age` is how old the message was and `travel` the link's free-flow
/// travel time; each inflow group gets its share. A profile's bins before its send time are
/// vehicles the neighbour counted leaving: they are on the road, so they are kept until they are
/// due here (each message counts its own past second, so nothing is counted twice). Its bins
/// ahead are a projection, which a newer profile from the neighbour replaces whole. A neighbour
/// silent for longer than `staleAfterTenths` is cleared by `expire`, so the junction falls back to
/// its own loops alone.
///
/// The forecast counts every vehicle still on the road; a reader leaves out those already past
/// its advance loops (`expected`'s `fromTenths`), which the loops count.
///
/// A class so that the strategy reading it and the one feeding it (the daemon's tick, the bench)
/// share it; storage is fixed at `init`, so `merge`, `expire`, `expected` and `assign(from:)`
/// allocate nothing.
public final class NeighbourArrivals {
    /// The road from one neighbour, as this junction sees it.
    public struct Link: Sendable {
        /// This junction's groups the road feeds, each with its share of the arrivals.
        public var inflow: [(group: Int, share: Double)]
        /// Free-flow travel time from the neighbour's stop line to this junction's, in tenths.
        public var travelTenths: Tenths

        public init(inflow: [(group: Int, share: Double)], travelTenths: Tenths) {
            self.inflow = inflow
            self.travelTenths = travelTenths
        }
    }

    public let links: [Link]
    /// Silence after which a neighbour's forecast is cleared, in tenths.
    public let staleAfterTenths: Tenths
    /// The tick of the latest `merge` or `expire`: what `expected` counts from.
    public private(set) var now: Tenths = 0

    /// Per group, the neighbours feeding it and the share.
    private let feeders: [[(neighbour: Int, share: Double)]]
    /// Per neighbour, `OutflowProfile.maximumBins` slots of its projected vehicles.
    private var bins: [Double]
    private var binCount: [Int]
    /// Per neighbour, the tick its projection's bin 0 starts arriving at this stop line.
    private var start: [Tenths]
    private var lastHeard: [Tenths]
    /// Per neighbour, a ring of `transitCapacity` one-bin entries of vehicles counted leaving it
    /// and not yet due here, oldest first: the tick each starts arriving, and how many.
    private var transitStart: [Tenths]
    private var transitVehicles: [Double]
    private var transitHead: [Int]
    private var transitCount: [Int]

    private static let never: Tenths = Int.min / 4
    private static let capacity = OutflowProfile.maximumBins
    /// Entries a road can hold in transit: a second's count from every message of the longest
    /// travel time a link may have (600 s), with room for late bins.
    private static let transitCapacity = 640

    /// Arrivals for a junction of `groupCount` groups from the neighbours `links` (by index).
    public init(groupCount: Int, links: [Link], staleAfterTenths: Tenths) {
        self.links = links
        self.staleAfterTenths = staleAfterTenths
        var feeders = Array(repeating: [(neighbour: Int, share: Double)](), count: groupCount)
        for (n, link) in links.enumerated() {
            for entry in link.inflow where entry.group >= 0 && entry.group < groupCount {
                feeders[entry.group].append((n, entry.share))
            }
        }
        self.feeders = feeders
        bins = Array(repeating: 0, count: links.count * Self.capacity)
        binCount = Array(repeating: 0, count: links.count)
        start = Array(repeating: 0, count: links.count)
        lastHeard = Array(repeating: Self.never, count: links.count)
        transitStart = Array(repeating: 0, count: links.count * Self.transitCapacity)
        transitVehicles = Array(repeating: 0, count: links.count * Self.transitCapacity)
        transitHead = Array(repeating: 0, count: links.count)
        transitCount = Array(repeating: 0, count: links.count)
    }

    /// Replaces neighbour `n`'s forecast with `profile`, which was `ageTenths` old (never less
    /// than 0) when it arrived at `tick`.
    public func merge(neighbour n: Int, profile: OutflowProfile, ageTenths: Tenths, tick: Tenths) {
        now = tick
        let width = OutflowProfile.binTenths
        let arrives = tick + profile.startTenths - max(ageTenths, 0) + links[n].travelTenths
        let count = min(profile.vehicles.count, Self.capacity)
        // Bins that ended by the send time were counted leaving: on the road until they are due.
        var past = 0
        while past < count && profile.startTenths + (past + 1) * width <= 0 {
            let vehicles = profile.vehicles[past]
            if vehicles.isFinite && vehicles > 0 { addTransit(n, start: arrives + past * width, vehicles: vehicles) }
            past += 1
        }
        for i in past..<count {
            let vehicles = profile.vehicles[i]
            bins[n * Self.capacity + i - past] = vehicles.isFinite ? max(vehicles, 0) : 0
        }
        binCount[n] = count - past
        start[n] = arrives + past * width
        lastHeard[n] = tick
        dropArrived(n)
    }

    /// Moves now to `tick` and clears every neighbour silent for longer than `staleAfterTenths`.
    public func expire(tick: Tenths) {
        now = tick
        for n in links.indices {
            if tick - lastHeard[n] > staleAfterTenths {
                binCount[n] = 0
                transitCount[n] = 0
            } else {
                dropArrived(n)
            }
        }
    }

    private func addTransit(_ n: Int, start arrival: Tenths, vehicles: Double) {
        if transitCount[n] == Self.transitCapacity {
            // Full only when a link's messages pile up faster than their vehicles arrive: the
            // oldest entry, the one due first, gives way.
            transitHead[n] = (transitHead[n] + 1) % Self.transitCapacity
            transitCount[n] -= 1
        }
        let slot = n * Self.transitCapacity + (transitHead[n] + transitCount[n]) % Self.transitCapacity
        transitStart[slot] = arrival
        transitVehicles[slot] = min(vehicles, OutflowProfile.maximumVehiclesPerBin)
        transitCount[n] += 1
    }

    /// Forgets the vehicles in transit that were due here before now (the loops have them).
    private func dropArrived(_ n: Int) {
        while transitCount[n] > 0
            && transitStart[n * Self.transitCapacity + transitHead[n]] + OutflowProfile.binTenths <= now
        {
            transitHead[n] = (transitHead[n] + 1) % Self.transitCapacity
            transitCount[n] -= 1
        }
    }

    /// True while neighbour `n` has a forecast (heard within `staleAfterTenths`).
    public func isFresh(_ n: Int) -> Bool { lastHeard[n] != Self.never && now - lastHeard[n] <= staleAfterTenths }

    /// True while some neighbour has a forecast; a junction that hears none runs isolated.
    public var anyFresh: Bool { links.indices.contains { isFresh($0) } }

    /// How far from now (tenths) the forecast reaches for group `g`: nothing is announced later.
    public func forecastEnd(group g: Int) -> Tenths {
        let width = OutflowProfile.binTenths
        var end: Tenths = 0
        for (n, _) in feeders[g] {
            for k in 0..<transitCount[n] {
                end = max(end, transitStart[n * Self.transitCapacity + (transitHead[n] + k) % Self.transitCapacity] + width - now)
            }
            if binCount[n] > 0 { end = max(end, start[n] + binCount[n] * width - now) }
        }
        return end
    }

    /// Vehicles announced for group `g` between `fromTenths` and `toTenths` from now; a bin partly
    /// inside counts in proportion.
    public func expected(group g: Int, fromTenths: Tenths, toTenths: Tenths) -> Double {
        let from = Double(fromTenths)
        let to = Double(toTenths)
        guard to > from else { return 0 }
        let width = Double(OutflowProfile.binTenths)
        var total = 0.0
        for (n, share) in feeders[g] {
            for k in 0..<transitCount[n] {
                let slot = n * Self.transitCapacity + (transitHead[n] + k) % Self.transitCapacity
                let binStart = Double(transitStart[slot] - now)
                let overlap = min(binStart + width, to) - max(binStart, from)
                if overlap > 0 { total += transitVehicles[slot] * share * overlap / width }
            }
            var binStart = Double(start[n] - now)
            for i in 0..<binCount[n] {
                let overlap = min(binStart + width, to) - max(binStart, from)
                if overlap > 0 { total += bins[n * Self.capacity + i] * share * overlap / width }
                binStart += width
                if binStart >= to { break }
            }
        }
        return total
    }

    /// Makes this forecast equal to `other`'s (same links), without allocating: how a forecast
    /// kept off the tick is handed to the one the strategy reads.
    public func assign(from other: NeighbourArrivals) {
        precondition(other.links.count == links.count, "forecasts of different junctions")
        now = other.now
        for i in bins.indices { bins[i] = other.bins[i] }
        for n in links.indices {
            binCount[n] = other.binCount[n]
            start[n] = other.start[n]
            lastHeard[n] = other.lastHeard[n]
            transitHead[n] = other.transitHead[n]
            transitCount[n] = other.transitCount[n]
            // Only the live entries: the tick copies under the exchange's lock, and a link
            // usually has a minute of entries in a ring of `transitCapacity`.
            for k in 0..<transitCount[n] {
                let slot = n * Self.transitCapacity + (transitHead[n] + k) % Self.transitCapacity
                transitStart[slot] = other.transitStart[slot]
                transitVehicles[slot] = other.transitVehicles[slot]
            }
        }
    }
}
