import SignalCore
import Wire

/// Arrivals on green of one phase in one bin: atspm `arrival_on_green.sql` with `latency_offset_seconds=0`. An
/// arrival is a detector-on (82) of an advance loop serving the phase; it is on green when, ordering the phase's
/// events 1, 8, 10 and the arrivals by time then code, the last phase event before it is a begin green (1).
public struct ArrivalsOnGreenBin: Codable, Sendable, Equatable {
    public var binStart: Int64
    public var phase: Int
    /// atspm `Total_Actuations`.
    public var totalArrivals: Int
    public var greenArrivals: Int
    /// `greenArrivals / totalArrivals`, a ratio 0–1 (atspm `Percent_AOG`).
    public var percentArrivalsOnGreen: Double
}

/// One cycle of the Purdue coordination diagram: begin green to the phase's next begin green.
public struct CoordinationCycle: Codable, Sendable, Equatable {
    public var phase: Int
    public var greenStartMs: Int64
    public var amberStartMs: Int64?
    public var redStartMs: Int64?
    /// The next begin green.
    public var endMs: Int64
}

/// One advance-loop arrival placed in its cycle, a point of the Purdue coordination diagram.
public struct CoordinationArrival: Codable, Sendable, Equatable {
    public var phase: Int
    public var timeMs: Int64
    /// Seconds since the cycle's begin green.
    public var cycleS: Double
    public var onGreen: Bool
}

/// Arrivals on green per bin and the Purdue coordination diagram, from one walk over each phase's events.
struct ArrivalMeasures {
    var bins: [ArrivalsOnGreenBin] = []
    var cycles: [CoordinationCycle] = []
    var arrivals: [CoordinationArrival] = []

    init(_ events: [EventRecord], map: DetectorMap, bins measureBins: MeasureBins) {
        let advance = map.detectorsByPhase(at: DetectorMap.advance)
        let arrival = EventCode.detectorOn.rawValue
        var streams: [Int: [Stamp]] = [:]
        for event in events {
            switch EventCode(rawValue: event.code) {
            case .detectorOn:
                guard map.placement(of: Int(event.parameter)) == DetectorMap.advance else { continue }
                for phase in map.phases(of: Int(event.parameter)) {
                    streams[phase, default: []].append(Stamp(time: event.time, code: event.code))
                }
            case .phaseBeginGreen, .phaseBeginAmber, .phaseBeginRedClearance:
                if advance[Int(event.parameter)] != nil {
                    streams[Int(event.parameter), default: []].append(Stamp(time: event.time, code: event.code))
                }
            default:
                continue
            }
        }
        var table: [BinKey: (total: Int, green: Int)] = [:]
        for (phase, stream) in streams {
            var signal: UInt16 = 0
            var cycle: CoordinationCycle? = nil
            var pending: [CoordinationArrival] = []
            for row in Stamp.ordered(stream) {
                switch row.code {
                case arrival:
                    let onGreen = signal == EventCode.phaseBeginGreen.rawValue
                    let key = BinKey(binStart: measureBins.start(of: row.time), number: phase)
                    let counts = table[key] ?? (0, 0)
                    table[key] = (counts.total + 1, counts.green + (onGreen ? 1 : 0))
                    if let cycle {
                        pending.append(
                            CoordinationArrival(
                                phase: phase, timeMs: row.time, cycleS: seconds(row.time - cycle.greenStartMs),
                                onGreen: onGreen))
                    }
                case EventCode.phaseBeginGreen.rawValue:
                    // A cycle is drawn only once the next green closes it.
                    if var closed = cycle {
                        closed.endMs = row.time
                        cycles.append(closed)
                        arrivals += pending
                    }
                    pending = []
                    cycle = CoordinationCycle(phase: phase, greenStartMs: row.time, endMs: row.time)
                    signal = row.code
                default:
                    signal = max(signal, row.code)
                    if row.code == EventCode.phaseBeginAmber.rawValue, cycle?.amberStartMs == nil {
                        cycle?.amberStartMs = row.time
                    }
                    if row.code == EventCode.phaseBeginRedClearance.rawValue, cycle?.redStartMs == nil {
                        cycle?.redStartMs = row.time
                    }
                }
            }
        }
        bins = table.sorted { $0.key < $1.key }.map { key, counts in
            ArrivalsOnGreenBin(
                binStart: key.binStart, phase: key.number, totalArrivals: counts.total, greenArrivals: counts.green,
                percentArrivalsOnGreen: Double(counts.green) / Double(counts.total))
        }
        cycles.sort { ($0.greenStartMs, $0.phase) < ($1.greenStartMs, $1.phase) }
        arrivals.sort { ($0.timeMs, $0.phase) < ($1.timeMs, $1.phase) }
    }
}
