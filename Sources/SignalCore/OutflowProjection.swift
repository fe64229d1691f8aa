/// What this junction expects to send down each road toward a neighbour, from its own loops.
///
/// `observe` runs every tick (0 allocations) and keeps, per group that feeds some neighbour:
/// its stop-line crossings of the last second, and its queue as the advance loops count it
/// (advance-loop actuations less stop-line actuations, never negative). `profile` then gives,
/// per neighbour, a profile whose bin before 0 holds the last second's measured crossings and
/// whose bins ahead hold the projected discharge of the queues of the groups green now: each
/// queue leaves at the saturation headway per lane from now, until the group's max green would
/// end it. Everything is multiplied by the group's share of that road.
///
/// What it does not project, on purpose: when a red group will turn green (that is the
/// strategy's decision, taken later), and vehicles not yet past an advance loop. A group without
/// advance loops contributes its measured crossings only. The receiver's own advance loops and
/// the next message (one second later) correct all of it.
public struct OutflowProjection: Sendable {
    /// One neighbour's outflow: this junction's groups feeding it, each with its share.
    public typealias Outflow = [(group: Int, share: Double)]

    private let outflows: [Outflow]
    private let loops: ApproachLoops
    private let tracked: [Bool]
    private let maxGreen: [Tenths]
    private let headway: Tenths
    private let advanceTravel: Tenths
    /// Bins per profile: the measured second and `horizon` seconds ahead.
    public let bins: Int

    private var signals: [SignalState]
    private var greenSince: [Tenths]
    /// Per group, vehicles counted past the advance loops and not yet over the stop line.
    private var queue: [Int]
    private var lastAdvance: [Tenths]
    private var lastDeparture: [Tenths]
    /// Per group, ten one-tick slots of stop-line crossings (`slot = tick mod 10`) and the tick each holds.
    private var crossings: [Int]
    private var crossingTicks: [Tenths]

    private static let never: Tenths = Int.min / 4
    /// A queue count larger than any approach holds: loops that double count cannot run it away.
    private static let maximumQueue = 400

    /// A projection for `junction`; `outflows[n]` lists neighbour `n`'s feeding groups and shares,
    /// `horizonTenths` how far ahead each profile reaches (at most `OutflowProfile.maximumBins - 1` s).
    public init(junction: Junction, settings: AdaptiveSettings, outflows: [Outflow], horizonTenths: Tenths) {
        let groups = junction.groups.count
        self.outflows = outflows
        loops = ApproachLoops(junction: junction)
        var tracked = Array(repeating: false, count: groups)
        for outflow in outflows {
            for entry in outflow where entry.group >= 0 && entry.group < groups { tracked[entry.group] = true }
        }
        self.tracked = tracked
        maxGreen = junction.groups.map(\.timing.maxGreen)
        headway = max(settings.saturationHeadway, 1)
        advanceTravel = settings.advanceTravel
        bins = min(1 + max(horizonTenths, 0) / OutflowProfile.binTenths, OutflowProfile.maximumBins)
        signals = Array(repeating: .red, count: groups)
        greenSince = Array(repeating: Self.never, count: groups)
        queue = Array(repeating: 0, count: groups)
        lastAdvance = Array(repeating: Self.never, count: groups)
        lastDeparture = Array(repeating: Self.never, count: groups)
        crossings = Array(repeating: 0, count: groups * 10)
        crossingTicks = Array(repeating: Self.never, count: groups * 10)
    }

    /// Takes one tick's detector actuations (per detector) and lamps (per group).
    public mutating func observe(tick: Tenths, actuations: [Int], signals: [SignalState]) {
        for g in tracked.indices where tracked[g] {
            if signals[g] == .green && self.signals[g] != .green { greenSince[g] = tick }
            self.signals[g] = signals[g]
            var arrived = 0
            for d in loops.advance[g] { arrived += actuations[d] }
            var departed = 0
            for d in loops.stopLine[g] { departed += actuations[d] }
            if arrived > 0 { lastAdvance[g] = tick }
            if departed > 0 { lastDeparture[g] = tick }
            let slot = g * 10 + (tick % 10 + 10) % 10
            if crossingTicks[slot] != tick {
                crossingTicks[slot] = tick
                crossings[slot] = 0
            }
            crossings[slot] += departed
            queue[g] = min(max(queue[g] + arrived - departed, 0), Self.maximumQueue)
            // On green, a count no vehicle has answered for longer than the advance-to-stop-line
            // travel and a headway was a missed stop-line actuation (or a vehicle that turned off).
            let quiet = advanceTravel + headway
            if signals[g] == .green && tick - lastDeparture[g] > quiet && tick - lastAdvance[g] > quiet {
                queue[g] = 0
            }
        }
    }

    /// Vehicles of group `g` counted between its advance loops and its stop line.
    public func queued(_ g: Int) -> Int { queue[g] }

    /// Writes neighbour `n`'s profile at `tick` into `profile` (no allocation once it has held
    /// `bins` bins): bin 0 from -1 s is the measured last second, the rest the projected discharge.
    public func profile(neighbour n: Int, tick: Tenths, into profile: inout OutflowProfile) {
        profile.startTenths = -OutflowProfile.binTenths
        if profile.vehicles.count != bins {
            profile.vehicles.removeAll(keepingCapacity: true)
            for _ in 0..<bins { profile.vehicles.append(0) }
        } else {
            for i in 0..<bins { profile.vehicles[i] = 0 }
        }
        for entry in outflows[n] where entry.group >= 0 && entry.group < tracked.count {
            let g = entry.group
            var measured = 0
            for slot in (g * 10)..<(g * 10 + 10) where crossingTicks[slot] > tick - 10 && crossingTicks[slot] <= tick {
                measured += crossings[slot]
            }
            profile.vehicles[0] += Double(measured) * entry.share
            guard signals[g] == .green, queue[g] > 0 else { continue }
            let remaining = maxGreen[g] - (tick - greenSince[g])
            let lanes = loops.lanes(g)
            for k in 0..<queue[g] {
                // The k-th queued vehicle crosses in lane k mod lanes, one headway after the one ahead.
                let crossing = (k / lanes + 1) * headway
                guard crossing < remaining else { break }
                let bin = 1 + crossing / OutflowProfile.binTenths
                guard bin < bins else { break }
                profile.vehicles[bin] += entry.share
            }
        }
        for i in 0..<bins { profile.vehicles[i] = min(profile.vehicles[i], OutflowProfile.maximumVehiclesPerBin) }
    }
}
