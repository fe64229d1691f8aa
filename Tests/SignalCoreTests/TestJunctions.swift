import SignalCore

/// Small hand-built junctions shared by the SignalCore tests.
enum TestJunctions {
    static func vehicle(_ name: String, minGreen: Tenths = 70, maxGreen: Tenths = 300, amber: Tenths = 30,
                        redAmber: Tenths = 15, recall: RecallMode = .none) -> SignalGroup {
        SignalGroup(
            name: name, kind: .vehicle,
            timing: SignalGroupTiming(minGreen: minGreen, maxGreen: maxGreen, passage: 30, clearance: amber,
                                      redAmber: redAmber),
            recall: recall)
    }

    static func pedestrian(_ name: String, walk: Tenths = 70, clearance: Tenths = 100) -> SignalGroup {
        SignalGroup(
            name: name, kind: .pedestrian,
            timing: SignalGroupTiming(minGreen: walk, maxGreen: walk, passage: 0, clearance: clearance, redAmber: 0))
    }

    /// Builds symmetric conflict and intergreen matrices from a list of conflicting pairs.
    static func matrices(count: Int, conflicts pairs: [(Int, Int, Tenths)]) -> ([[Bool]], [[Tenths]]) {
        var conflicts = Array(repeating: Array(repeating: false, count: count), count: count)
        var intergreen = Array(repeating: Array(repeating: 0, count: count), count: count)
        for (a, b, time) in pairs {
            conflicts[a][b] = true
            conflicts[b][a] = true
            intergreen[a][b] = time
            intergreen[b][a] = time
        }
        return (conflicts, intergreen)
    }

    /// Two conflicting vehicle groups (main road, side road) plus a pedestrian crossing of the
    /// side road that runs with the main road. Detectors: one stop-line loop per vehicle group
    /// and a push button.
    static var crossroads: Junction {
        let groups = [vehicle("main"), vehicle("side"), pedestrian("ped-side")]
        let (conflicts, intergreen) = matrices(count: 3, conflicts: [(0, 1, 50), (1, 2, 50)])
        return Junction(
            name: "crossroads", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "main", groups: [0, 2]), Stage(name: "side", groups: [1])],
            detectors: [
                Detector(name: "main-loop", groups: [0]),
                Detector(name: "side-loop", groups: [1]),
                Detector(name: "ped-button", groups: [2], function: .call, placement: .pushButton),
            ],
            plans: [FixedTimePlan(name: "day", cycle: 600, offset: 0, splits: [350, 250])])
    }
}

/// Runs a controller tick by tick with a scripted detector input, checking every tick with an
/// independent monitor and recording what the lamps did.
struct ControllerHarness {
    let controller: SignalController
    var monitor: SafetyMonitor
    var snapshot: DetectorSnapshot
    var tick: Tenths = 0
    var history: [[SignalState]] = []
    var events: [ControllerEvent] = []

    init(_ junction: Junction, monitorJunction: Junction? = nil) {
        controller = SignalController(junction: junction)
        monitor = SafetyMonitor(junction: monitorJunction ?? junction)
        snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
    }

    /// Runs `ticks` ticks; `input` may set the snapshot before each one. Returns the first
    /// violation the independent monitor found.
    @discardableResult
    mutating func run(_ ticks: Int, input: (Tenths, inout DetectorSnapshot) -> Void = { _, _ in })
        -> SafetyViolation?
    {
        for _ in 0..<ticks {
            tick += 1
            snapshot.clearActuations()
            input(tick, &snapshot)
            controller.step(tick: tick, detectors: snapshot)
            history.append(controller.signals)
            events.append(contentsOf: controller.tickEvents)
            if let violation = monitor.check(tick: tick, states: controller.signals) { return violation }
        }
        return nil
    }
}
