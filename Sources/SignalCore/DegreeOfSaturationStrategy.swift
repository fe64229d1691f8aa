/// Cycle-by-cycle split adjustment from stop-line loops, after SCATS's degree of saturation.
///
/// For every green of a vehicle group it measures, per stop-line loop, the unoccupied time T and
/// the number of gaps n, and takes the busiest lane's DS = (g − (T − n·h)) / g, where g is the
/// green and h the standard gap at saturation flow. When the green ends, the group's max green
/// moves toward the value that would have put DS on the target, by at most
/// `AdaptiveSettings.splitStep` per cycle and never outside the configured `minGreen...maxGreen`.
/// A congested movement thus keeps long greens and an idle one is cut short even when stray
/// vehicles keep its passage timer alive. Gap-out still ends greens early.
public final class DegreeOfSaturationStrategy: GreenTimingStrategy {
    public let name = "saturation"

    private let junction: Junction
    private let settings: AdaptiveSettings
    private let loops: ApproachLoops
    private let isVehicle: [Bool]
    /// The standard gap h, in tenths.
    private let standardGap: Double

    private var signals: [SignalState]
    private var greenStart: [Tenths]
    /// Per detector, during the green of its group: unoccupied ticks and gaps.
    private var unoccupied: [Int]
    private var gaps: [Int]
    private var wasPresent: [Bool]
    private var split: [Tenths]
    private var saturation: [Int]
    private var decisions: [AdaptiveDecision]
    private var pending: DecisionQueue

    /// A strategy for `junction`; every max green starts at its configured value.
    public init(junction: Junction, settings: AdaptiveSettings) {
        self.junction = junction
        self.settings = settings
        loops = ApproachLoops(junction: junction)
        isVehicle = junction.groups.map { $0.kind != .pedestrian }
        // A point loop is occupied for about a quarter of the saturation headway by each vehicle.
        standardGap = Double(settings.saturationHeadway) * 0.75
        let groups = junction.groups.count
        signals = Array(repeating: .red, count: groups)
        greenStart = Array(repeating: 0, count: groups)
        unoccupied = Array(repeating: 0, count: junction.detectors.count)
        gaps = Array(repeating: 0, count: junction.detectors.count)
        wasPresent = Array(repeating: false, count: junction.detectors.count)
        split = junction.groups.map { $0.timing.maxGreen }
        saturation = Array(repeating: 0, count: groups)
        decisions = Array(repeating: AdaptiveDecision(), count: groups)
        pending = DecisionQueue(capacity: groups)
    }

    public func observe(tick: Tenths, presence: [Bool], actuations: [Int], signals: [SignalState], running: Bool) {
        for g in 0..<junction.groups.count where isVehicle[g] {
            let was = self.signals[g]
            self.signals[g] = signals[g]
            if signals[g] == .green && was != .green {
                greenStart[g] = tick
                for d in loops.stopLine[g] {
                    unoccupied[d] = 0
                    gaps[d] = 0
                    wasPresent[d] = presence[d]
                }
            } else if signals[g] == .green {
                for d in loops.stopLine[g] {
                    if !presence[d] {
                        unoccupied[d] += 1
                        if wasPresent[d] || actuations[d] > 0 { gaps[d] += 1 }
                    } else if actuations[d] > 1 {
                        gaps[d] += actuations[d] - 1
                    }
                    wasPresent[d] = presence[d]
                }
            } else if was == .green && running {
                retime(g, green: tick - greenStart[g], tick: tick)
            }
        }
    }

    /// The degree of saturation of group `g`'s last green, in percent, from its busiest lane.
    private func measure(_ g: Int, green: Tenths) -> Int {
        guard green > 0, !loops.stopLine[g].isEmpty else { return 0 }
        var busiest = 0.0
        for d in loops.stopLine[g] {
            let wasted = Double(unoccupied[d]) - Double(gaps[d]) * standardGap
            busiest = max(busiest, (Double(green) - max(wasted, 0)) / Double(green))
        }
        return Int((busiest * 100).rounded())
    }

    private func retime(_ g: Int, green: Tenths, tick: Tenths) {
        guard !loops.stopLine[g].isEmpty else { return }
        let percent = measure(g, green: green)
        saturation[g] = percent
        let timing = junction.groups[g].timing
        // The green that would have been used to the target, from the green actually shown.
        let wanted = green * percent / max(settings.targetSaturationPercent, 1)
        var target = split[g]
        if percent >= settings.targetSaturationPercent && green >= split[g] - settings.splitStep {
            target = max(wanted, split[g] + settings.splitStep)
        } else if percent < settings.targetSaturationPercent {
            target = wanted
        }
        let bounded = min(max(target, split[g] - settings.splitStep), split[g] + settings.splitStep)
        let new = min(max(bounded, timing.minGreen), timing.maxGreen)
        guard new != split[g] else { return }
        let decision = AdaptiveDecision(
            kind: new > split[g] ? .maxRaised : .maxLowered,
            reason: new > split[g] ? .saturationHigh : .saturationLow, tick: tick)
        split[g] = new
        decisions[g] = decision
        pending.push(group: g, decision: decision)
    }

    public func propose(tick: Tenths, stage: Int, next: Int, greenSince: [Tenths]) -> GreenProposal { .noOpinion }

    public func preferredNext(current: Int, cyclicNext: Int, hasDemand: (Int) -> Bool) -> Int? { nil }

    public func maxGreen(for g: Int) -> Tenths { split[g] }

    public func recordDecision(group g: Int, decision: AdaptiveDecision, greenStart: Tenths) -> Bool {
        decisions.record(group: g, decision, greenStart: greenStart)
    }

    public func nextDecision() -> (group: Int, decision: AdaptiveDecision)? { pending.pop() }

    public func writeStatus(into status: inout AdaptiveStatus) {
        let groups = junction.groups.count
        status.prepare(strategy: name, groupCount: groups)
        var cycle: Tenths = 0
        for stage in junction.sequence {
            var longest: Tenths = 0
            for g in junction.stages[stage].groups where isVehicle[g] { longest = max(longest, split[g]) }
            cycle += longest
        }
        status.cycleTarget = cycle
        for g in 0..<groups {
            status.decisions[g] = decisions[g]
            status.maxGreen[g] = split[g]
            status.degreeOfSaturationPercent[g] = saturation[g]
        }
    }
}
