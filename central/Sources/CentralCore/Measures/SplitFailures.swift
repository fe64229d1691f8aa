import SignalCore
import Wire

/// Split failures of one phase in one bin: atspm `split_failures.sql` with `by_approach=True`, `by_cycle=False`,
/// `red_time=5`, both occupancy thresholds 0.79, over the phase's stop-line loops combined. docs/central-measures.md
/// gives the definition step by step; the steps below follow the query's.
public struct SplitFailureBin: Codable, Sendable, Equatable {
    /// Red occupancy is measured over this much of the red, from begin red clearance (atspm `red_time`).
    public static let redWindowMilliseconds: Int64 = 5000
    /// A cycle fails when both its green and its red occupancy reach this (atspm's thresholds as used here).
    public static let occupancyThreshold = 0.79
    /// Two detector-ons closer than this get an off at the second; farther apart, one half-way (atspm's repair).
    static let rapidOnMilliseconds: Int64 = 2000

    public var binStart: Int64
    public var phase: Int
    /// Cycles whose red window ended in the bin and whose events were complete.
    public var cycles: Int
    /// Means over those cycles: green length in seconds, and occupancy ratios 0–1.
    public var greenTimeS: Double
    public var greenOccupancy: Double
    public var redOccupancy: Double
    public var splitFailures: Int

    /// One cycle's result before it is binned.
    struct Cycle {
        var time: Int64
        var greenMilliseconds: Int64
        var greenOccupancy: Double
        var redOccupancy: Double
    }

    /// One row per bin and phase with a stop-line loop and at least one complete cycle, ordered by bin then phase.
    static func bins(_ events: [EventRecord], map: DetectorMap, bins: MeasureBins) -> [SplitFailureBin] {
        guard let last = events.map(\.time).max() else { return [] }
        // The query adds no red barrier at or past the end of the last event's bin.
        let cutoff = bins.startMilliseconds(of: last) + bins.milliseconds
        let stopLines = map.detectorsByPhase(at: DetectorMap.stopLine)
        var detectorEvents: [Int: [Stamp]] = [:]
        var phaseEvents: [Int: [Stamp]] = [:]
        for event in events {
            switch EventCode(rawValue: event.code) {
            case .detectorOn, .detectorOff:
                detectorEvents[Int(event.parameter), default: []].append(Stamp(time: event.time, code: event.code))
            case .phaseBeginGreen, .phaseBeginAmber, .phaseBeginRedClearance:
                phaseEvents[Int(event.parameter), default: []].append(Stamp(time: event.time, code: event.code))
            default:
                continue
            }
        }
        var table: [BinKey: [Cycle]] = [:]
        for (phase, detectors) in stopLines {
            let states = combined(detectors.map { repaired(detectorEvents[$0] ?? []) })
            for cycle in cycles(phase: phaseEvents[phase] ?? [], states: states, cutoff: cutoff) {
                table[BinKey(binStart: bins.start(of: cycle.time), number: phase), default: []].append(cycle)
            }
        }
        return table.sorted { $0.key < $1.key }.map { key, cycles in
            let count = Double(cycles.count)
            return SplitFailureBin(
                binStart: key.binStart, phase: key.number, cycles: cycles.count,
                greenTimeS: cycles.reduce(0) { $0 + seconds($1.greenMilliseconds) } / count,
                greenOccupancy: cycles.reduce(0) { $0 + $1.greenOccupancy } / count,
                redOccupancy: cycles.reduce(0) { $0 + $1.redOccupancy } / count,
                splitFailures: cycles.count(where: {
                    $0.greenOccupancy >= occupancyThreshold && $0.redOccupancy >= occupancyThreshold
                }))
        }
    }

    /// One detector's on/off events (time order) as +1/−1 steps, repaired as the query's `step2` does: a missing off
    /// between two ons, a missing on between two offs, and an on before a leading off.
    static func repaired(_ events: [Stamp]) -> [(time: Int64, step: Int)] {
        let on = EventCode.detectorOn.rawValue
        var steps: [(time: Int64, step: Int)] = []
        for (index, event) in events.enumerated() {
            if index == 0, event.code != on { steps.append((event.time - 1, 1)) }
            if index > 0, events[index - 1].code == event.code {
                let gap = event.time - events[index - 1].time
                if event.code == on {
                    steps.append((gap <= rapidOnMilliseconds ? event.time : event.time - gap / 2, -1))
                } else {
                    steps.append((event.time - gap / 2, 1))
                }
            }
            steps.append((event.time, event.code == on ? 1 : -1))
        }
        return steps
    }

    /// The approach's occupancy from its detectors' steps: one state per distinct time, occupied while the running
    /// sum (all steps at the same millisecond included, as the query's window does) is above zero.
    static func combined(_ detectors: [[(time: Int64, step: Int)]]) -> [(time: Int64, occupied: Bool)] {
        let steps = detectors.joined().sorted { $0.time < $1.time }
        var states: [(time: Int64, occupied: Bool)] = []
        var sum = 0
        var index = 0
        while index < steps.count {
            let time = steps[index].time
            while index < steps.count, steps[index].time == time {
                sum += steps[index].step
                index += 1
            }
            states.append((time, sum > 0))
        }
        return states
    }

    /// The complete cycles of one phase: the query's `step4` to `step8`, row by row.
    static func cycles(phase events: [Stamp], states: [(time: Int64, occupied: Bool)], cutoff: Int64) -> [Cycle] {
        let barrier = EventCode.phaseEndRedClearance.rawValue
        let on = EventCode.detectorOn.rawValue
        var rows = events
        for event in events where event.code == EventCode.phaseBeginRedClearance.rawValue {
            let time = event.time + redWindowMilliseconds
            if time < cutoff { rows.append(Stamp(time: time, code: barrier)) }
        }
        rows += states.map { Stamp(time: $0.time, code: $0.occupied ? on : EventCode.detectorOff.rawValue) }
        rows = Stamp.ordered(rows)

        struct Tally {
            var ambers = 0
            var barriers = 0
            var stateKnown = true
            var greenOn: Int64 = 0
            var greenOff: Int64 = 0
            var redOn: Int64 = 0
            var time: Int64 = .min
        }
        var tallies: [Tally] = []
        var signal: UInt16 = 0
        var occupied: Bool? = nil
        for (index, row) in rows.enumerated() {
            if row.code == EventCode.phaseBeginGreen.rawValue {
                tallies.append(Tally())
                signal = row.code
            } else if row.code < EventCode.detectorOff.rawValue {
                signal = max(signal, row.code)
            } else {
                occupied = row.code == on
            }
            // Rows before the first green belong to no cycle (the query's cycle 0).
            guard var tally = tallies.popLast() else { continue }
            if row.code == EventCode.phaseBeginAmber.rawValue { tally.ambers += 1 }
            if row.code == barrier { tally.barriers += 1 }
            if let occupied {
                let span = index + 1 < rows.count ? rows[index + 1].time - row.time : 0
                if signal == EventCode.phaseBeginGreen.rawValue {
                    if occupied { tally.greenOn += span } else { tally.greenOff += span }
                } else if signal == EventCode.phaseBeginRedClearance.rawValue, occupied {
                    tally.redOn += span
                }
            } else {
                tally.stateKnown = false
            }
            if signal == EventCode.phaseBeginGreen.rawValue || signal == EventCode.phaseBeginRedClearance.rawValue
                || row.code == barrier
            {
                tally.time = max(tally.time, row.time)
            }
            tallies.append(tally)
        }
        return tallies.compactMap { tally in
            let green = tally.greenOn + tally.greenOff
            guard tally.ambers == 1, tally.barriers == 1, tally.stateKnown, green > 0 else { return nil }
            return Cycle(
                time: tally.time, greenMilliseconds: green,
                greenOccupancy: Double(tally.greenOn) / Double(green),
                redOccupancy: Double(tally.redOn) / Double(redWindowMilliseconds))
        }
    }
}
