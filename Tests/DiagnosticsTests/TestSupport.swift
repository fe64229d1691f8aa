import Diagnostics
import FieldIO
import SignalCore

/// A small pedestrian crossing for the diagnostics tests: a vehicle group on minimum recall and a
/// pedestrian group with a push button, two stages, one fixed-time plan.
enum TestJunction {
    static let vehicle = SignalGroupTiming(minGreen: 70, maxGreen: 300, passage: 30, clearance: 30, redAmber: 20)
    static let pedestrian = SignalGroupTiming(minGreen: 70, maxGreen: 70, passage: 0, clearance: 100, redAmber: 0)

    static func crossing() -> Junction {
        Junction(
            name: "test crossing",
            groups: [
                SignalGroup(name: "main", kind: .vehicle, timing: vehicle, recall: .minimum),
                SignalGroup(name: "walk", kind: .pedestrian, timing: pedestrian),
            ],
            conflicts: [[false, true], [true, false]],
            intergreen: [[0, 50], [120, 0]],
            stages: [Stage(name: "traffic", groups: [0]), Stage(name: "crossing", groups: [1])],
            detectors: [
                Detector(name: "main_stop", groups: [0], placement: .stopLine),
                Detector(name: "button", groups: [1], function: .call, placement: .pushButton),
            ],
            startup: StartupTiming(flashTime: 20, allRedTime: 10),
            plans: [FixedTimePlan(name: "fixed", cycle: 400, offset: 0, splits: [200, 200])])
    }
}

/// Runs a real controller on `TestJunction.crossing()` with presence set by `presence(tick)`.
final class ControllerRun {
    let controller = SignalController(junction: TestJunction.crossing())
    private var snapshot = DetectorSnapshot(detectorCount: 2)
    private(set) var tick: Tenths = 0

    /// Steps one tick and returns the status and the events of that tick.
    @discardableResult
    func step(presence: [Bool] = [false, false]) -> (ControllerStatus, [ControllerEvent]) {
        tick += 1
        for index in presence.indices {
            if presence[index] && !snapshot.presence[index] { snapshot.actuations[index] = 1 }
            snapshot.presence[index] = presence[index]
        }
        controller.step(tick: tick, detectors: snapshot)
        snapshot.clearActuations()
        return (controller.status, Array(controller.tickEvents))
    }
}

/// A deterministic generator for the randomised tests (the simulator's SplitMix64), so a failure replays.
struct TestRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
