import SignalCore
import Wire

/// One completed service of a phase: begin green (1), begin amber (8), begin red clearance (10), end red
/// clearance (11), and what ended the green. No atspm query matches it (atspm's `splits.sql` reads MAXTIME-only
/// events 300–317); docs/central-measures.md defines it.
public struct PhaseCycle: Codable, Sendable, Equatable {
    public var phase: Int
    public var greenStartMs: Int64
    public var amberStartMs: Int64
    public var redStartMs: Int64
    public var endMs: Int64
    public var greenS: Double
    public var amberS: Double
    public var redClearanceS: Double
    /// Green + amber + red clearance.
    public var splitS: Double
    /// `gap_out`, `max_out` or `force_off`; nil when the controller logged none of them for this green.
    public var termination: String?

    /// The termination word of events 4, 5 and 6.
    static func termination(_ code: UInt16) -> String? {
        switch EventCode(rawValue: code) {
        case .phaseGapOut: return "gap_out"
        case .phaseMaxOut: return "max_out"
        case .phaseForceOff: return "force_off"
        default: return nil
        }
    }

    /// Every completed service in `events` (oldest first), ordered by green start then phase. The red clearance ends
    /// at the phase's end red clearance (11) or, as the junction logs no 11, when it next switches another phase on
    /// (phase on 0, begin green 1 or begin walk 21): the end of the all-red before the next stage. A service missing
    /// one of its events, or cut by the range, is left out rather than given a made-up length.
    static func cycles(_ events: [EventRecord]) -> [PhaseCycle] {
        struct Pending {
            var green: Int64
            var amber: Int64?
            var red: Int64?
            var termination: String?
        }
        var pending: [Int: Pending] = [:]
        var cycles: [PhaseCycle] = []
        func finish(_ phase: Int, at time: Int64) {
            guard let open = pending.removeValue(forKey: phase), let amber = open.amber, let red = open.red else {
                return
            }
            cycles.append(
                PhaseCycle(
                    phase: phase, greenStartMs: open.green, amberStartMs: amber, redStartMs: red, endMs: time,
                    greenS: seconds(amber - open.green), amberS: seconds(red - amber),
                    redClearanceS: seconds(time - red), splitS: seconds(time - open.green),
                    termination: open.termination))
        }
        for event in events {
            let phase = Int(event.parameter)
            let time = event.time
            switch EventCode(rawValue: event.code) {
            case .phaseOn, .phaseBeginGreen, .pedBeginWalk:
                for (other, open) in pending where other != phase && open.red != nil { finish(other, at: time) }
                if event.code == EventCode.phaseBeginGreen.rawValue { pending[phase] = Pending(green: time) }
            case .phaseGapOut, .phaseMaxOut, .phaseForceOff:
                // Stamped at the green's end: up to and including the amber's millisecond.
                guard var open = pending[phase], open.termination == nil, open.red == nil,
                    open.amber.map({ $0 == time }) ?? true
                else { continue }
                open.termination = termination(event.code)
                pending[phase] = open
            case .phaseBeginAmber:
                guard var open = pending[phase], open.amber == nil else { pending[phase] = nil; continue }
                open.amber = time
                pending[phase] = open
            case .phaseBeginRedClearance:
                guard var open = pending[phase], open.amber != nil, open.red == nil else {
                    pending[phase] = nil
                    continue
                }
                open.red = time
                pending[phase] = open
            case .phaseEndRedClearance:
                finish(phase, at: time)
            default:
                continue
            }
        }
        return cycles.sorted { ($0.greenStartMs, $0.phase) < ($1.greenStartMs, $1.phase) }
    }
}

/// Gap-outs, max-outs and force-offs of one phase in one bin: atspm `terminations.sql` (events 4, 5, 6 counted
/// by `time_bucket` of their time and their parameter).
public struct TerminationBin: Codable, Sendable, Equatable {
    public var binStart: Int64
    public var phase: Int
    public var gapOut: Int
    public var maxOut: Int
    public var forceOff: Int

    /// One row per bin and phase with at least one termination, ordered by bin then phase.
    static func bins(_ events: [EventRecord], bins: MeasureBins) -> [TerminationBin] {
        var table: [BinKey: TerminationBin] = [:]
        for event in events {
            guard let word = PhaseCycle.termination(event.code) else { continue }
            let key = BinKey(binStart: bins.start(of: event.time), number: Int(event.parameter))
            var row =
                table[key]
                ?? TerminationBin(binStart: key.binStart, phase: key.number, gapOut: 0, maxOut: 0, forceOff: 0)
            switch word {
            case "gap_out": row.gapOut += 1
            case "max_out": row.maxOut += 1
            default: row.forceOff += 1
            }
            table[key] = row
        }
        return table.sorted { $0.key < $1.key }.map(\.value)
    }
}

/// Seconds of a span of milliseconds.
func seconds(_ milliseconds: Int64) -> Double { Double(milliseconds) / 1000 }
