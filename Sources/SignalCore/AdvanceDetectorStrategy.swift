/// Second-by-second green timing from advance loops, in the spirit of SURTRAC's cluster schedules.
///
/// Every vehicle that crosses an advance loop joins its group's queue of arrivals with its time;
/// a stop-line actuation takes the oldest one off (on red, the vehicle that stopped on the loop stays
/// in the queue until its green comes). How long a vehicle takes from the advance loop
/// to the stop line is learned per group from vehicles that ran it alone on green, starting from
/// `AdaptiveSettings.advanceTravel`, so loops placed farther or nearer than configured (or a
/// slow turn) still place each vehicle right. While a stage rests with another waiting, the
/// strategy schedules the green groups' known vehicles at saturation headway (none before it can
/// reach the stop line) and compares, for every horizon up to `AdaptiveSettings.horizon`, what
/// extending would save (vehicles served × the red they would otherwise wait, plus a stop) with
/// what it costs (every vehicle waiting on red, plus red arrivals, delayed as long; a vehicle that
/// has waited long weighs more, see `pressure`). It extends while some horizon pays and ends the
/// stage as soon as none does.
///
/// With a forecast from the neighbours (`NeighbourArrivals`, docs/coordination.md) it also looks
/// past its advance loops, up to `platoonHorizon`: vehicles announced on red beyond the usual
/// arrivals count as a cost of extending (so a green nobody needs ends early for a platoon due
/// elsewhere), and in the choice of the next stage announced vehicles count with those waiting,
/// both for the stage chosen and for the stages it passes over. Announced vehicles on a green
/// group do not hold it: measured on the corridor bench, waiting for a platoon placed at free-flow
/// speed cost the cross streets more than the platoon saved.
///
/// It only proposes: minimum greens come before it is asked, and max-out ends a stage whatever it
/// answers, so every movement is served within the actuated bound. Neighbour input changes only
/// the proposals, never a timing limit.
public final class AdvanceDetectorStrategy: GreenTimingStrategy {
    public let name = "advance"

    private static let capacity = 256
    /// Weight of one tick in the arrival-rate average: about a two-minute window.
    private static let rateWeight = 1.0 / 1200
    /// Weight of one measured discharge headway.
    private static let headwayWeight = 0.05
    /// Weight of one measured red in the usual red.
    private static let redWeight = 0.2
    /// A group whose green ended this recently has had its turn in this round and may be passed over
    /// once (served again in the next round).
    private static let recentService: Tenths = 600
    /// Once a group with vehicles has waited this long on red, stages are taken in cyclic order only.
    private static let longestWait: Tenths = 1200
    /// Weight of one measured free travel from the advance loop to the stop line.
    private static let travelWeight = 0.2
    /// The least wait that doubles a waiting vehicle's weight (`pressure`). Measured on the bench
    /// over three seeds: a minute trims the surge's and the time-varying demand's tails and moves no
    /// mean beyond noise; half a minute let the surge's queues run away.
    private static let agePremium: Tenths = 600

    /// How far ahead announced platoons are weighed, in tenths: beyond the loops' own horizon.
    static let platoonHorizon: Tenths = 250

    private let junction: Junction
    private let settings: AdaptiveSettings
    /// Vehicles the neighbours announce beyond the advance loops; nil runs the junction isolated.
    private let neighbours: NeighbourArrivals?
    private let loops: ApproachLoops
    private let isVehicle: [Bool]
    private let stageMembers: [[Bool]]
    /// Least time from the end of a stage's greens to the start of the next stage's, per pair.
    private let interstage: [[Tenths]]

    private var now: Tenths = 0
    private var signals: [SignalState]
    private var arrivals: [Tenths]
    private var head: [Int]
    private var count: [Int]
    /// Vehicles past the advance loop beyond what the arrival queue holds.
    private var overflow: [Int]
    /// Vehicles that reached the stop-line loop on red: they stop on it at the head of the queue
    /// and wait with it, so they leave the queue when the green comes, not when they were counted.
    private var atStopLine: [Int]
    /// Advance-loop arrivals per tick, averaged (vehicles per tick).
    private var rate: [Double]
    /// Discharge headway per lane at the stop line, learned (tenths).
    private var headway: [Double]
    /// Free-flow travel from the advance loop to the stop line, learned (tenths).
    private var travel: [Double]
    /// When the vehicle now timed for `travel` crossed the advance loop (on green, with none known
    /// ahead of it), or `never`.
    private var timedSince: [Tenths]
    private var lastDischarge: [Tenths]
    private var lastStopActivity: [Tenths]
    /// Since when the queue has reached back to the advance loop, or `never`.
    private var spilledSince: [Tenths]
    private var greenEnded: [Tenths]
    /// The red each group has been seeing between greens, averaged (tenths).
    private var usualRed: [Double]
    private var decisions: [AdaptiveDecision]
    private var pending: DecisionQueue
    /// Scratch for `propose`, filled once per call by `preparePlatoons` so that each horizon it
    /// weighs costs a few bins, not a pass over the forecast. Per group of the next stage: when it
    /// would open, the announced surplus every extension delays in full, and from which bin on
    /// (`platoonTailBins` of them) the extension reaches the surplus only in part or the forecast
    /// has ended.
    private var platoonOpens: [Tenths]
    private var platoonFull: [Double]
    private var platoonTailFrom: [Tenths]
    private var platoonTail: [Double]
    private let platoonTailBins: Int
    /// Scratch for `preferredNext`, filled once per call for the groups on red: the weight of the
    /// vehicles each would leave waiting (`pressure`) and of those announced for it within the
    /// loops' horizon.
    private var owed: [Double]

    private static let never: Tenths = Int.min / 4

    /// A strategy for `junction`; groups without advance loops are judged from stop-line loops alone.
    /// `neighbours` is the forecast the neighbour exchange keeps current (nil: isolated).
    public init(junction: Junction, settings: AdaptiveSettings, neighbours: NeighbourArrivals? = nil) {
        self.junction = junction
        self.settings = settings
        self.neighbours = neighbours
        loops = ApproachLoops(junction: junction)
        let groups = junction.groups.count
        isVehicle = junction.groups.map { $0.kind != .pedestrian }
        stageMembers = junction.stages.map { stage in (0..<groups).map { stage.groups.contains($0) } }
        interstage = junction.stages.map { from in
            junction.stages.map { to in
                var longest: Tenths = 0
                for g in from.groups where !to.groups.contains(g) {
                    for h in to.groups where junction.conflicts[g][h] {
                        longest = max(longest, junction.intergreen[g][h])
                    }
                }
                return longest
            }
        }
        signals = Array(repeating: .red, count: groups)
        arrivals = Array(repeating: 0, count: groups * Self.capacity)
        head = Array(repeating: 0, count: groups)
        count = Array(repeating: 0, count: groups)
        overflow = Array(repeating: 0, count: groups)
        atStopLine = Array(repeating: 0, count: groups)
        rate = Array(repeating: 0, count: groups)
        headway = Array(repeating: Double(settings.saturationHeadway), count: groups)
        travel = Array(repeating: Double(settings.advanceTravel), count: groups)
        timedSince = Array(repeating: Self.never, count: groups)
        lastDischarge = Array(repeating: Self.never, count: groups)
        lastStopActivity = Array(repeating: 0, count: groups)
        spilledSince = Array(repeating: Self.never, count: groups)
        greenEnded = Array(repeating: Self.never, count: groups)
        usualRed = Array(repeating: 0, count: groups)
        decisions = Array(repeating: AdaptiveDecision(), count: groups)
        pending = DecisionQueue(capacity: 1)
        // Partial bins start after `opens - bin/2` and end before `opens + reach`.
        let bin = OutflowProfile.binTenths
        platoonTailBins = (max(settings.horizon, Self.platoonHorizon) + bin) / bin + 1
        platoonOpens = Array(repeating: 0, count: groups)
        platoonFull = Array(repeating: 0, count: groups)
        platoonTailFrom = Array(repeating: 0, count: groups)
        platoonTail = Array(repeating: 0, count: groups * platoonTailBins)
        owed = Array(repeating: 0, count: groups)
    }

    // MARK: - Observing

    public func observe(tick: Tenths, presence: [Bool], actuations: [Int], signals: [SignalState], running: Bool) {
        now = tick
        for g in 0..<junction.groups.count where isVehicle[g] {
            learnRed(g, now: signals[g], tick: tick)
            if signals[g] == .green && self.signals[g] != .green {
                for _ in 0..<atStopLine[g] { takeOff(g) }
                atStopLine[g] = 0
            }
            self.signals[g] = signals[g]
            var arrived = 0
            for d in loops.advance[g] { arrived += actuations[d] }
            if arrived > 0 && signals[g] == .green && count[g] + overflow[g] == 0 && timedSince[g] == Self.never {
                timedSince[g] = tick
            }
            for _ in 0..<arrived { push(g) }
            if spilledSince[g] == Self.never {
                rate[g] += (Double(arrived) - rate[g]) * Self.rateWeight
            }
            var departed = 0
            var stopBusy = false
            for d in loops.stopLine[g] {
                departed += actuations[d]
                stopBusy = stopBusy || presence[d]
            }
            if departed > 0 || stopBusy { lastStopActivity[g] = tick }
            if signals[g] == .red || signals[g] == .redAmber {
                atStopLine[g] += departed
            } else {
                if departed > 0 { learnTravel(g) }
                for _ in 0..<departed { depart(g) }
            }
            if loops.advance[g].isEmpty {
                // Without advance loops the stop-line loops are the only count: a call is one vehicle.
                count[g] = stopBusy && !signals[g].isOpen ? max(count[g], 1) : count[g]
            }
            updateSpill(g, presence: presence)
            if signals[g] == .green { dropStale(g) }
        }
    }

    /// A vehicle left behind waits as long as the reds really are, which the queues on red alone
    /// underestimate (more vehicles arrive while the other stages run).
    private func learnRed(_ g: Int, now state: SignalState, tick: Tenths) {
        let was = signals[g]
        if was == .green && state != .green {
            greenEnded[g] = tick
            // A vehicle caught by the amber would time its stop, not its travel.
            timedSince[g] = Self.never
        } else if state == .green && was != .green && greenEnded[g] != Self.never {
            let red = Double(tick - greenEnded[g])
            usualRed[g] = usualRed[g] == 0 ? red : usualRed[g] + (red - usualRed[g]) * Self.redWeight
        }
    }

    /// The first vehicle over the stop line after one timed alone from the advance loop is that
    /// vehicle (none was known ahead of it, and the green let it run): its trip is the free travel.
    private func learnTravel(_ g: Int) {
        guard timedSince[g] != Self.never else { return }
        let measured = Double(now - timedSince[g])
        timedSince[g] = Self.never
        // Within the settings' bounds and not far from what was learned: a stray pairing (a lane
        // change between the loops, a missed count) is left out, while loops truly farther than
        // configured still move the estimate step by step. The timing outlives `dropStale`
        // forgetting the vehicle: with loops farther than the estimate, that is how it learns.
        guard AdaptiveSettings.advanceTravelRange.contains(Tenths(measured)),
            measured > travel[g] / 2.5, measured < travel[g] * 2.5
        else { return }
        travel[g] += (measured - travel[g]) * Self.travelWeight
    }

    private func push(_ g: Int) {
        guard count[g] < Self.capacity else {
            overflow[g] += 1
            return
        }
        arrivals[g * Self.capacity + (head[g] + count[g]) % Self.capacity] = now
        count[g] += 1
    }

    private func depart(_ g: Int) {
        if signals[g] == .green && lastDischarge[g] != Self.never && waiting(g) > 0 {
            let gap = Double(now - lastDischarge[g]) * Double(loops.lanes(g))
            // Only gaps inside a discharging queue measure saturation flow.
            if gap < 2 * Double(settings.saturationHeadway) {
                headway[g] += (gap - headway[g]) * Self.headwayWeight
            }
        }
        lastDischarge[g] = now
        takeOff(g)
    }

    /// Takes one vehicle off group `g`'s queue: first one of those the ring had no room for, which
    /// carry no arrival time.
    private func takeOff(_ g: Int) {
        if overflow[g] > 0 {
            overflow[g] -= 1
        } else if count[g] > 0 {
            head[g] = (head[g] + 1) % Self.capacity
            count[g] -= 1
        }
    }

    /// A queue that reaches the advance loop hides the vehicles behind it; they keep arriving at
    /// the learned rate.
    private func updateSpill(_ g: Int, presence: [Bool]) {
        var blocked = false
        for d in loops.advance[g] where presence[d] { blocked = true }
        let storage = 7 * loops.lanes(g)
        if !signals[g].isOpen && (blocked || count[g] >= storage) {
            if spilledSince[g] == Self.never { spilledSince[g] = now }
        } else {
            spilledSince[g] = Self.never
        }
    }

    /// On green with an idle stop line, arrivals that should long have crossed were missed
    /// (a lane change between the loops, a vehicle that stopped elsewhere): forget them.
    private func dropStale(_ g: Int) {
        let idle: Tenths = 30
        guard now - lastStopActivity[g] >= idle else { return }
        overflow[g] = 0
        while count[g] > 0 && Double(arrivals[g * Self.capacity + head[g]]) + travel[g] + Double(idle) < Double(now) {
            takeOff(g)
        }
    }

    /// The vehicles waiting on red group `g`, each weighted by the wait it has had: a vehicle counts
    /// `1 + age / premium`, where the premium is the group's usual red but at least `agePremium`.
    /// Delaying a queue by a second then costs what a squared delay would (each vehicle's share
    /// grows with its wait), so a long wait is not drawn out further for a short one's gain; and
    /// as the reds lengthen under saturation the premium grows with them and the weighting fades,
    /// so it never buys fairness with capacity. A group without advance loops has no arrival
    /// times: its vehicles count one each.
    private func pressure(_ g: Int) -> Double {
        guard !loops.advance[g].isEmpty else { return waiting(g) }
        let premium = max(Double(Self.agePremium), usualRed[g])
        // A vehicle starts waiting when it could have reached the stop line.
        let reachedBy = Double(now) - travel[g]
        var total = Double(overflow[g])
        for i in 0..<count[g] {
            let arrived = arrivals[g * Self.capacity + (head[g] + i) % Self.capacity]
            total += 1 + max(reachedBy - Double(arrived), 0) / premium
        }
        // Hidden behind the spilled queue since it spilled: on average half that long.
        let spill = spill(g)
        return total + spill.hidden * (1 + spill.duration / 2 / premium)
    }

    /// Vehicles known to wait or approach on group `g`, including those hidden behind a spilled queue.
    private func waiting(_ g: Int) -> Double {
        Double(count[g] + overflow[g]) + spill(g).hidden
    }

    /// How long group `g`'s queue has reached back to its advance loop (0 when it does not), and
    /// the vehicles hidden behind it since: they keep arriving at the learned rate.
    private func spill(_ g: Int) -> (duration: Double, hidden: Double) {
        guard spilledSince[g] != Self.never else { return (0, 0) }
        let duration = Double(now - spilledSince[g])
        return (duration, rate[g] * duration)
    }

    // MARK: - Proposing

    public func propose(tick: Tenths, stage: Int, next: Int, greenSince: [Tenths]) -> GreenProposal {
        var ending = 0
        var waitingOnRed = 0.0
        var redArrivalRate = 0.0
        for g in 0..<junction.groups.count where isVehicle[g] {
            if signals[g] == .green && !stageMembers[next][g] {
                ending += 1
            } else if !signals[g].isOpen {
                waitingOnRed += pressure(g)
                redArrivalRate += rate[g]
            }
        }
        guard ending > 0 else { return .noOpinion }
        // Someone called the next stage even if no loop counted them.
        waitingOnRed = max(waitingOnRed, 1)
        var usual = 0.0
        for g in 0..<junction.groups.count where isVehicle[g] && signals[g] == .green && !stageMembers[next][g] {
            usual = max(usual, usualRed[g])
        }
        let value = max(Double(redTime(after: stage)), usual) + Double(settings.stopPenalty)
        let step: Tenths = 5
        var horizon = step
        // Silent neighbours leave the junction isolated: the loops' own horizon, as without any.
        let reach = neighbours?.anyFresh == true ? max(settings.horizon, Self.platoonHorizon) : settings.horizon
        preparePlatoons(stage: stage, next: next, reach: reach)
        while horizon <= reach {
            let served = servedWithin(horizon, stage: stage, next: next)
            // Extending delays everyone on red now, and everyone who joins them before their green
            // (on average half a red away); and a platoon announced for the next stage beyond the
            // usual arrivals, each vehicle by as much of the extension as it would otherwise miss.
            let cost = (waitingOnRed + redArrivalRate * value / 2) * Double(horizon)
                + platoonDelay(extending: horizon, next: next)
            if served * value > cost {
                let reason: AdaptiveReason =
                    servedWithin(step, stage: stage, next: next) >= 1 ? .queueDischarging : .platoonArriving
                return .extend(reason)
            }
            horizon += step
        }
        return .end(.waitingDemand)
    }

    /// Vehicles of the ending green groups that can cross the stop line within `horizon`, with
    /// each known arrival no earlier than its free-flow travel and at the learned headway.
    private func servedWithin(_ horizon: Tenths, stage: Int, next: Int) -> Double {
        var served = 0.0
        for g in 0..<junction.groups.count where isVehicle[g] && signals[g] == .green && !stageMembers[next][g] {
            served += servedWithin(horizon, group: g)
        }
        return served
    }

    private func servedWithin(_ horizon: Tenths, group g: Int) -> Double {
        var served = 0.0
        let until = Double(now + horizon)
        let gap = headway[g] / Double(loops.lanes(g))
        var previous = Double(now) - gap
        for i in 0..<count[g] {
            let arrived = Double(arrivals[g * Self.capacity + (head[g] + i) % Self.capacity])
            let crossing = max(arrived + travel[g], previous + gap)
            if crossing > until { break }
            served += 1
            previous = crossing
        }
        if overflow[g] > 0 && previous + gap <= until {
            served += min(Double(overflow[g]), (until - previous) / gap)
            previous = min(until, previous + Double(overflow[g]) * gap)
        }
        // Announced vehicles are not counted here: holding a green for a platoon the forecast
        // places at free-flow speed cost more than it saved (docs/coordination.md, "What the
        // forecast is used for").
        return served
    }

    /// How long the ending groups would wait for green again if the stage ended now: every other
    /// stage with vehicles waiting, each long enough to clear them, plus the interstages.
    private func redTime(after stage: Int) -> Tenths {
        var total: Tenths = 0
        var previous = stage
        let sequence = junction.sequence
        let start = sequence.firstIndex(of: stage) ?? 0
        for step in 1..<max(sequence.count, 2) {
            let candidate = sequence[(start + step) % sequence.count]
            guard candidate != stage else { continue }
            let green = clearingGreen(candidate, excluding: stage)
            guard green > 0 else { continue }
            total += interstage[previous][candidate] + green
            previous = candidate
        }
        return total + interstage[previous][stage]
    }

    // MARK: - Choosing the next stage

    /// Among the positions from `cyclicNext` on that `mayPass` allows, the one whose choice costs
    /// least delay, counted in vehicle-seconds against taking `cyclicNext`: going there first saves
    /// its vehicles the stages they would otherwise wait behind (and keeps its already green groups
    /// serving the vehicles they would otherwise stop), but every waiting vehicle of a stage passed
    /// over is left for another round and waits a whole cycle more. So a through movement that is
    /// still busy runs on beside its own right-turn arrow while the idle opposite one makes way (the
    /// overlaps of a dual ring), and a right-turn queue is passed over only when what the cross
    /// street gains is worth a cycle of the turners' wait.
    public func preferredNext(current: Int, cyclicNext: Int, hasDemand: (Int) -> Bool) -> Int? {
        for g in 0..<junction.groups.count where isVehicle[g] && !signals[g].isOpen && waiting(g) >= 1 {
            let since = greenEnded[g] == Self.never ? 0 : greenEnded[g]
            if now - since > Self.longestWait { return nil }
        }
        for g in 0..<junction.groups.count where isVehicle[g] && !signals[g].isOpen {
            owed[g] = pressure(g) + announced(g, from: 0, to: settings.horizon)
        }
        let sequence = junction.sequence
        let from = sequence[current]
        var best = cyclicNext
        var bestGain = 0.0
        var ahead = Double(serviceTime(sequence[cyclicNext], after: from))
        var position = cyclicNext
        while true {
            position = (position + 1) % sequence.count
            if position == current || position == cyclicNext { break }
            guard hasDemand(position) else { continue }
            if !mayPass(from: cyclicNext, to: position, hasDemand: hasDemand) { break }
            let gain = passGain(to: sequence[position], ahead: ahead, first: cyclicNext)
            if gain > bestGain {
                best = position
                bestGain = gain
            }
            ahead += Double(serviceTime(sequence[position], after: from))
        }
        return best == cyclicNext ? nil : best
    }

    /// What going to `stage` now saves against the cyclic order, in vehicle-tenths: its waiting
    /// vehicles spared `ahead` (the stages they would wait behind), its green groups' vehicles
    /// spared a red, less a round more of wait for every vehicle of the positions passed over.
    /// Waiting vehicles weigh as in `owed`, which `preferredNext` fills.
    private func passGain(to stage: Int, ahead: Double, first: Int) -> Double {
        let chosen = stageMembers[stage]
        let sequence = junction.sequence
        let round = Double(redTime(after: stage))
        var gain = 0.0
        for g in junction.stages[stage].groups where isVehicle[g] {
            if signals[g] == .green {
                // Green in the cyclic next stage too, it runs on either way.
                if stageMembers[sequence[first]][g] { continue }
                gain += servedWithin(settings.horizon, group: g) * max(usualRed[g], ahead)
            } else if !signals[g].isOpen {
                gain += owed[g] * ahead
            }
        }
        var position = first
        while sequence[position] != stage {
            for g in junction.stages[sequence[position]].groups
            where isVehicle[g] && !chosen[g] && !signals[g].isOpen {
                gain -= owed[g] * max(usualRed[g], round)
            }
            position = (position + 1) % sequence.count
        }
        return gain
    }

    /// Vehicles the neighbours announce for group `g` between `from` and `to` (tenths from now),
    /// leaving out those due within the learned advance-loop travel: they are at or past the
    /// loops, which count them (0 when isolated or the neighbour is silent).
    private func announced(_ g: Int, from: Tenths, to: Tenths) -> Double {
        neighbours?.expected(group: g, fromTenths: max(from, Tenths(travel[g].rounded())), toTenths: to) ?? 0
    }

    /// Fills the platoon scratch for ending `stage` towards `next`, for extensions up to `reach`:
    /// per red group of `next`, the announced vehicles per bin beyond its usual arrivals (which
    /// `propose` prices already), split by how much of an extension each would wait.
    private func preparePlatoons(stage: Int, next: Int, reach: Tenths) {
        guard let neighbours else { return }
        let bin = OutflowProfile.binTenths
        for g in junction.stages[next].groups where isVehicle[g] && !signals[g].isOpen {
            let opens = interstage[stage][next] + Tenths(waiting(g) * headway[g] / Double(loops.lanes(g)))
            let usual = rate[g] * Double(bin)
            // Past the end of the forecast nothing is announced: a long queue on red (opens far
            // ahead) costs no more than the forecast's bins.
            let end = neighbours.forecastEnd(group: g)
            var full = 0.0
            var from: Tenths = 0
            while from + bin / 2 <= opens && from < end {
                full += max(announced(g, from: from, to: from + bin) - usual, 0)
                from += bin
            }
            platoonOpens[g] = opens
            platoonFull[g] = full
            platoonTailFrom[g] = from
            for k in 0..<platoonTailBins {
                let surplus = from < opens + reach
                    ? announced(g, from: from, to: from + bin) - usual : 0
                platoonTail[g * platoonTailBins + k] = max(surplus, 0)
                from += bin
            }
        }
    }

    /// Vehicle-tenths that extending the current stage by `added` adds to the platoons announced
    /// for the next stage's red groups (from the scratch `preparePlatoons` filled). Ending now,
    /// such a group turns green after the interstage and clears its queue; a vehicle due before
    /// that waits in any case, and extending delays it by the whole extension; one due after it,
    /// by what is left of the extension when it comes.
    private func platoonDelay(extending added: Tenths, next: Int) -> Double {
        guard neighbours != nil else { return 0 }
        let bin = OutflowProfile.binTenths
        var total = 0.0
        for g in junction.stages[next].groups where isVehicle[g] && !signals[g].isOpen {
            let opens = platoonOpens[g]
            total += platoonFull[g] * Double(added)
            var from = platoonTailFrom[g]
            var k = 0
            while from < opens + added && k < platoonTailBins {
                let waits = max(min(added, opens + added - from - bin / 2), 0)
                total += platoonTail[g * platoonTailBins + k] * Double(waits)
                from += bin
                k += 1
            }
        }
        return total
    }

    /// How long `stage` would run if taken after `previous`: its interstage and its clearing green;
    /// 0 when nobody waits for it.
    private func serviceTime(_ stage: Int, after previous: Int) -> Tenths {
        let green = clearingGreen(stage, excluding: previous)
        return green > 0 ? interstage[previous][stage] + green : 0
    }

    /// The green `stage` needs to clear the vehicles known on its groups outside `other`, within
    /// their minimum and maximum greens; 0 when there are none.
    private func clearingGreen(_ stage: Int, excluding other: Int) -> Tenths {
        var green: Tenths = 0
        for g in junction.stages[stage].groups where isVehicle[g] && !stageMembers[other][g] {
            let clear = Tenths(waiting(g) * headway[g] / Double(loops.lanes(g)))
            if clear > 0 {
                let timing = junction.groups[g].timing
                green = max(green, min(max(clear, timing.minGreen), timing.maxGreen))
            }
        }
        return green
    }

    /// True when going to `target` passes over no position with a group that still needs this round,
    /// and over at most one that leaves any waiting group for the next round.
    private func mayPass(from first: Int, to target: Int, hasDemand: (Int) -> Bool) -> Bool {
        let sequence = junction.sequence
        let chosen = stageMembers[sequence[target]]
        var position = first
        var deferred = 0
        while position != target {
            if hasDemand(position) {
                var leaves = false
                for g in junction.stages[sequence[position]].groups where !chosen[g] && !signals[g].isOpen {
                    let served = greenEnded[g] != Self.never && now - greenEnded[g] < Self.recentService
                    if !served { return false }
                    leaves = true
                }
                if leaves { deferred += 1 }
                if deferred > 1 { return false }
            }
            position = (position + 1) % sequence.count
        }
        return true
    }

    // MARK: - Reporting

    public func maxGreen(for g: Int) -> Tenths { junction.groups[g].timing.maxGreen }

    public func recordDecision(group g: Int, decision: AdaptiveDecision, greenStart: Tenths) -> Bool {
        decisions.record(group: g, decision, greenStart: greenStart)
    }

    public func nextDecision() -> (group: Int, decision: AdaptiveDecision)? { pending.pop() }

    public func writeStatus(into status: inout AdaptiveStatus) {
        let groups = junction.groups.count
        status.prepare(strategy: name, groupCount: groups)
        for g in 0..<groups {
            status.decisions[g] = decisions[g]
            status.maxGreen[g] = junction.groups[g].timing.maxGreen
            status.queuedVehicles[g] = Int(waiting(g).rounded())
            status.advanceTravel[g] = loops.advance[g].isEmpty ? 0 : Tenths(travel[g].rounded())
        }
    }
}
