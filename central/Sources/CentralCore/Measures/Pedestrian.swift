import SignalCore
import Wire

/// Pedestrian demand and service of one phase in one bin: atspm `ped.sql` (actuations, services),
/// `unique_ped.sql` (`seconds_between_actuations=15`) and `ped_delay.sql` over `timeline.sql`'s `PedDelay`. A press is
/// a detector-on (82) of a push-button detector, counted once per phase the button serves: atspm's event 90.
public struct PedestrianBin: Codable, Sendable, Equatable {
    /// A press this long or less after the previous press of the phase is the same person (atspm's 15 s).
    public static let uniqueGapMilliseconds: Int64 = 15_000

    public var binStart: Int64
    public var phase: Int
    /// Pedestrian calls registered (45): central only, the controller latches one per wait.
    public var pedCalls: Int
    /// Presses (atspm `PedActuation`).
    public var pedActuations: Int
    /// Presses more than 15 s after the previous press of the phase (atspm `Unique_Actuations`).
    public var uniquePedActuations: Int
    /// Begin walk (21) (atspm `PedServices`).
    public var pedServices: Int
    /// Mean press-to-walk delay of the walks that began in the bin (atspm `AvgPedDelay`); nil without a sample.
    public var pedDelayS: Double?
    /// Delays averaged (atspm `Samples`).
    public var pedDelaySamples: Int

    /// One row per bin and phase with any count; presses need `map`, calls and services do not.
    static func bins(_ events: [EventRecord], map: DetectorMap?, bins: MeasureBins) -> [PedestrianBin] {
        let press = EventCode.detectorOn.rawValue
        let walk = EventCode.pedBeginWalk.rawValue
        let clearance = EventCode.pedBeginClearance.rawValue
        var table: [BinKey: PedestrianBin] = [:]
        func update(_ phase: Int, _ time: Int64, _ change: (inout PedestrianBin) -> Void) {
            let key = BinKey(binStart: bins.start(of: time), number: phase)
            var row = table[key] ?? PedestrianBin(
                binStart: key.binStart, phase: phase, pedCalls: 0, pedActuations: 0, uniquePedActuations: 0,
                pedServices: 0, pedDelayS: nil, pedDelaySamples: 0)
            change(&row)
            table[key] = row
        }
        // Per phase: presses, walks and clearances, as atspm's PedDelay window reads them.
        var streams: [Int: [Stamp]] = [:]
        for event in events {
            let number = Int(event.parameter)
            switch EventCode(rawValue: event.code) {
            case .pedCallRegistered:
                update(number, event.time) { $0.pedCalls += 1 }
            case .pedBeginWalk, .pedBeginClearance:
                if event.code == walk { update(number, event.time) { $0.pedServices += 1 } }
                streams[number, default: []].append(Stamp(time: event.time, code: event.code))
            case .detectorOn:
                guard let map, map.placement(of: number) == DetectorMap.pushButton else { continue }
                for phase in map.phases(of: number) {
                    update(phase, event.time) { $0.pedActuations += 1 }
                    streams[phase, default: []].append(Stamp(time: event.time, code: event.code))
                }
            default:
                continue
            }
        }
        var delays: [BinKey: [Int64]] = [:]
        for (phase, unordered) in streams {
            // At the same millisecond a walk or clearance comes before a press (codes 21, 22 < 82).
            let stream = Stamp.ordered(unordered)
            var lastPress: Int64? = nil
            var nextSignal: Int64? = nil
            var nextSignals = [Int64?](repeating: nil, count: stream.count)
            for index in stream.indices.reversed() {
                nextSignals[index] = nextSignal
                if stream[index].code != press { nextSignal = stream[index].time }
            }
            for (index, row) in stream.enumerated() where row.code == press {
                if let lastPress, row.time - lastPress > uniqueGapMilliseconds {
                    update(phase, row.time) { $0.uniquePedActuations += 1 }
                }
                lastPress = row.time
                // The first press after a clearance (or of the range) waits until the next walk or clearance.
                guard index == 0 || stream[index - 1].code == clearance, let end = nextSignals[index] else { continue }
                delays[BinKey(binStart: bins.start(of: end), number: phase), default: []].append(end - row.time)
            }
        }
        for (key, spans) in delays {
            update(key.number, key.binStart * 1000) {
                $0.pedDelaySamples = spans.count
                $0.pedDelayS = spans.reduce(0) { $0 + seconds($1) } / Double(spans.count)
            }
        }
        return table.sorted { $0.key < $1.key }.map(\.value)
    }
}
