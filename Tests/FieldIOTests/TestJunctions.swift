import FieldIO
import SignalCore

/// Small junctions built by hand for the simulator tests: two conflicting groups, two stages.
enum TestJunctions {
    static let vehicleTiming = SignalGroupTiming(minGreen: 70, maxGreen: 300, passage: 30, clearance: 30, redAmber: 20)
    static let pedestrianTiming = SignalGroupTiming(minGreen: 70, maxGreen: 70, passage: 0, clearance: 100, redAmber: 0)

    /// Detector 0: north stop line, 1: north advance, 2: east stop line.
    static func crossroads() -> Junction {
        Junction(
            name: "test crossroads",
            groups: [
                SignalGroup(name: "north", kind: .vehicle, timing: vehicleTiming),
                SignalGroup(name: "east", kind: .vehicle, timing: vehicleTiming),
            ],
            conflicts: [[false, true], [true, false]],
            intergreen: [[0, 50], [50, 0]],
            stages: [Stage(name: "north", groups: [0]), Stage(name: "east", groups: [1])],
            detectors: [
                Detector(name: "north stop line", groups: [0], placement: .stopLine),
                Detector(name: "north advance", groups: [0], function: .extend, placement: .advance),
                Detector(name: "east stop line", groups: [1], placement: .stopLine),
            ]
        )
    }

    /// Detector 0: main stop line, 1: crossing push button.
    static func pedestrianCrossing() -> Junction {
        Junction(
            name: "test crossing",
            groups: [
                SignalGroup(name: "main", kind: .vehicle, timing: vehicleTiming, recall: .minimum),
                SignalGroup(name: "crossing", kind: .pedestrian, timing: pedestrianTiming),
            ],
            conflicts: [[false, true], [true, false]],
            intergreen: [[0, 50], [60, 0]],
            stages: [Stage(name: "traffic", groups: [0]), Stage(name: "walk", groups: [1])],
            detectors: [
                Detector(name: "main stop line", groups: [0], placement: .stopLine),
                Detector(name: "crossing button", groups: [1], function: .call, placement: .pushButton),
            ]
        )
    }

    /// A vehicle-only cycle of `periodTenths` per group: each group in turn red+amber 2 s,
    /// green, amber 3 s, the rest red. Walk groups are not handled.
    static func cycling(_ tick: Tenths, groups: Int, periodTenths: Tenths) -> [SignalState] {
        let position = ((tick % (periodTenths * groups)) + periodTenths * groups) % (periodTenths * groups)
        let active = position / periodTenths
        let within = position % periodTenths
        return (0..<groups).map { group in
            guard group == active else { return .red }
            if within < 20 { return .redAmber }
            if within < periodTenths - 60 { return .green }
            if within < periodTenths - 30 { return .amber }
            return .red
        }
    }
}

/// One observed tick of a driven simulation.
struct DrivenTick {
    var tick: Tenths
    /// The lamps the traffic obeyed during this tick (applied at the tick before).
    var lampsInForce: [SignalState]
    var snapshot: DetectorSnapshot
    var counters: [SimulatedGroupCounters]
}

/// Runs `simulator` over `ticks` ticks from `start` the way the runtime does (fill, then apply)
/// with `lamps(tick)` as the command, and hands each tick to `observe`.
func drive(
    _ simulator: SimulatedJunction,
    from start: Tenths = 1,
    ticks: Int,
    lamps: (Tenths) -> [SignalState],
    observe: (DrivenTick) -> Void = { _ in }
) {
    var snapshot = DetectorSnapshot(detectorCount: simulator.detectorCount)
    var inForce = Array(repeating: SignalState.red, count: simulator.groupCount)
    var readBack = inForce
    _ = simulator.readBack(into: &readBack)
    inForce = readBack
    for tick in start..<(start + ticks) {
        simulator.fill(&snapshot, tick: tick)
        let counters = (0..<simulator.groupCount).map { simulator.counters(group: $0) }
        observe(DrivenTick(tick: tick, lampsInForce: inForce, snapshot: snapshot, counters: counters))
        inForce = lamps(tick)
        simulator.apply(inForce, tick: tick)
    }
}
