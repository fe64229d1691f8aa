import FieldIO
import SignalCore

/// Vehicles and pedestrians for `junction-bench events`: demand that follows a weekday's hours, queues that form
/// on red and discharge on green, so the controller's log holds what the performance measures look for.
///
/// Every lane is one stop-line loop. A vehicle of a group with an advance loop crosses it first (a short pulse at
/// speed) and reaches the stop line 4 s later. On green with no queue it passes the stop-line loop at speed; on
/// red (or behind a queue) it waits, the first waiting vehicle holding the loop, and leaves at the saturation
/// headway once green, each holding the loop longer than a vehicle at speed. At the peak the lanes fill faster than
/// their green drains them: greens max out and the queue left at the end of green occupies the loop in the first
/// seconds of red (split failures); off-peak greens gap out. Pedestrians press their crossing's button on arrival
/// unless it shows walk. Deterministic for a seed; the controller's signals of the previous tick decide who moves.
struct DayTraffic {
    /// Demand at each hour of the day (UTC) as a share of the peak; linear in between.
    static let hourlyShare: [Double] = [
        0.10, 0.07, 0.05, 0.05, 0.10, 0.30, 0.70, 1.00, 0.85, 0.60, 0.55, 0.60,
        0.65, 0.60, 0.60, 0.75, 0.95, 1.00, 0.80, 0.60, 0.45, 0.35, 0.25, 0.15,
    ]
    /// Peak arrivals per hour: a through lane of a group on recall (the main road), another through lane, a
    /// turn lane (a group with no advance loop), a crossing's pedestrians.
    static let peakPerHour = (main: 620.0, side: 470.0, turn: 230.0, pedestrians: 45.0)

    private struct Lane {
        let group: Int
        let stopLine: Int
        let advance: Int?
        let peakPerTick: Double
        var queue = 0
        var nextDeparture: Tenths = 0
        var presentUntil: Tenths = 0
        var advanceUntil: Tenths = 0
        /// Ticks at which vehicles seen by the advance loop reach the stop line, oldest first.
        var approaching: [Tenths] = []
    }

    private struct Crossing {
        let group: Int
        let button: Int
        let peakPerTick: Double
        var heldUntil: Tenths = 0
    }

    /// Ticks from the advance loop (40 m back) to the stop line at about 10 m/s.
    private static let advanceTravel: Tenths = 40
    /// Saturation headway of a queue leaving on green: 1 800 vehicles an hour.
    private static let headway: Tenths = 20

    private var random: SplitMix64
    private var lanes: [Lane] = []
    private var crossings: [Crossing] = []
    private var wasPresent: [Bool]
    /// The UTC second of the day at tick 0, for the hourly demand.
    private let startSecondOfDay: Int

    init(junction: Junction, seed: UInt64, startSecondOfDay: Int) {
        random = SplitMix64(seed: seed)
        self.startSecondOfDay = startSecondOfDay
        wasPresent = Array(repeating: false, count: junction.detectors.count)
        let perTick = 1.0 / 36_000
        for (d, detector) in junction.detectors.enumerated() {
            guard let group = detector.groups.first else { continue }
            switch detector.placement {
            case .stopLine:
                let advance = junction.detectors.indices.first {
                    junction.detectors[$0].placement == .advance && junction.detectors[$0].groups.contains(group)
                }
                let onRecall = junction.groups[group].recall != .none
                let peak = advance == nil ? Self.peakPerHour.turn : onRecall ? Self.peakPerHour.main : Self.peakPerHour.side
                lanes.append(Lane(group: group, stopLine: d, advance: advance, peakPerTick: peak * perTick))
            case .pushButton:
                crossings.append(Crossing(group: group, button: d, peakPerTick: Self.peakPerHour.pedestrians * perTick))
            case .advance:
                continue
            }
        }
    }

    /// The demand share at `tick`.
    func share(at tick: Tenths) -> Double {
        let seconds = Double(startSecondOfDay) + Double(tick) / 10
        let hours = (seconds / 3600).truncatingRemainder(dividingBy: 24)
        let hour = Int(hours)
        let next = Self.hourlyShare[(hour + 1) % 24]
        return Self.hourlyShare[hour] + (next - Self.hourlyShare[hour]) * (hours - Double(hour))
    }

    /// Writes this tick's presence and rising edges, given the signals the controller showed last tick.
    mutating func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths, signals: [SignalState]) {
        let share = share(at: tick)
        for l in lanes.indices {
            Self.move(&lanes[l], tick: tick, share: share, green: signals[lanes[l].group] == .green, random: &random)
        }
        for c in crossings.indices {
            let walking = signals[crossings[c].group] == .walk
            if !walking && Self.arrives(crossings[c].peakPerTick * share, random: &random) {
                // A press holds the button 0.2–0.6 s; a second press while held is not a new edge.
                crossings[c].heldUntil = max(crossings[c].heldUntil, tick + 2 + Tenths(random.next(below: 5)))
            }
        }
        for lane in lanes {
            snapshot.presence[lane.stopLine] = tick < lane.presentUntil || (lane.queue > 0 && signals[lane.group] != .green)
            if let advance = lane.advance { snapshot.presence[advance] = tick < lane.advanceUntil }
        }
        for crossing in crossings { snapshot.presence[crossing.button] = tick < crossing.heldUntil }
        for d in 0..<snapshot.count {
            snapshot.actuations[d] = snapshot.presence[d] && !wasPresent[d] ? 1 : 0
            wasPresent[d] = snapshot.presence[d]
        }
    }

    private static func move(_ lane: inout Lane, tick: Tenths, share: Double, green: Bool, random: inout SplitMix64) {
        if arrives(lane.peakPerTick * share, random: &random) {
            if lane.advance != nil {
                // At speed a vehicle holds a loop 0.3–0.7 s.
                lane.advanceUntil = max(lane.advanceUntil, tick + 3 + Tenths(random.next(below: 5)))
                lane.approaching.append(tick + Self.advanceTravel)
            } else {
                reachStopLine(&lane, tick: tick, green: green, random: &random)
            }
        }
        while let first = lane.approaching.first, first <= tick {
            lane.approaching.removeFirst()
            reachStopLine(&lane, tick: tick, green: green, random: &random)
        }
        if green && lane.queue > 0 && tick >= lane.nextDeparture {
            // A vehicle starting from the queue holds the loop 1.4–1.8 s of its 2 s headway.
            lane.queue -= 1
            lane.presentUntil = max(lane.presentUntil, tick + 14 + Tenths(random.next(below: 5)))
            lane.nextDeparture = tick + Self.headway
        }
    }

    private static func reachStopLine(
        _ lane: inout Lane, tick: Tenths, green: Bool, random: inout SplitMix64
    ) {
        if green && lane.queue == 0 && tick >= lane.nextDeparture {
            lane.presentUntil = max(lane.presentUntil, tick + 3 + Tenths(random.next(below: 5)))
            lane.nextDeparture = tick + 10
        } else {
            lane.queue += 1
        }
    }

    /// True with probability `p` (a Bernoulli draw per tick approximates Poisson arrivals).
    private static func arrives(_ p: Double, random: inout SplitMix64) -> Bool {
        Double(random.next() >> 11) * 0x1p-53 < p
    }
}
