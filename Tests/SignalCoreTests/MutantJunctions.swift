import SignalCore

/// A small valid junction for the mutation tests, and the broken copies handed to mutant controllers.
///
/// Main and side road conflict; a crossing of the side road runs with the main road. Every group is
/// on recall so the junction cycles whatever the traffic, and every intergreen holds an all-red on
/// top of amber and red+amber, so a controller that ignores intergreens shows it.
enum MutantJunctions {
    static let main = 0
    static let side = 1
    static let crossing = 2

    static var truth: Junction {
        let vehicle = SignalGroupTiming(minGreen: 80, maxGreen: 250, passage: 30, clearance: 35, redAmber: 15)
        let walk = SignalGroupTiming(minGreen: 60, maxGreen: 60, passage: 0, clearance: 90, redAmber: 0)
        let groups = [
            SignalGroup(name: "main", kind: .vehicle, timing: vehicle, recall: .minimum),
            SignalGroup(name: "side", kind: .vehicle, timing: vehicle, recall: .minimum),
            SignalGroup(name: "crossing", kind: .pedestrian, timing: walk, recall: .pedestrian),
        ]
        var conflicts = Array(repeating: Array(repeating: false, count: 3), count: 3)
        var intergreen = Array(repeating: Array(repeating: Tenths(0), count: 3), count: 3)
        for (a, b, ab, ba) in [(main, side, 70, 70), (side, crossing, 55, 130)] {
            conflicts[a][b] = true
            conflicts[b][a] = true
            intergreen[a][b] = ab
            intergreen[b][a] = ba
        }
        return Junction(
            name: "mutation", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "main", groups: [main, crossing]), Stage(name: "side", groups: [side])],
            detectors: [
                Detector(name: "main-loop", groups: [main]), Detector(name: "side-loop", groups: [side]),
                Detector(name: "button", groups: [crossing], function: .call, placement: .pushButton),
            ])
    }

    /// The junction with every intergreen set to zero: the controller ignores intergreens.
    static func withoutIntergreens(_ junction: Junction) -> Junction {
        var copy = junction
        copy.intergreen = junction.intergreen.map { $0.map { _ in 0 } }
        return copy
    }

    /// Vehicle ambers cut to one tenth: the controller is left with its own 2.7 s floor.
    static func withAmberCut(_ junction: Junction) -> Junction {
        var copy = junction
        for g in copy.groups.indices where copy.groups[g].kind != .pedestrian { copy.groups[g].timing.clearance = 1 }
        return copy
    }

    /// Every minimum green and walk cut to one tenth.
    static func withMinimumsCut(_ junction: Junction) -> Junction {
        var copy = junction
        for g in copy.groups.indices { copy.groups[g].timing.minGreen = 1 }
        return copy
    }

    /// Main and side road put in one stage. With `believed`, the controller is also told they do not
    /// conflict (a config whose matrix and stages are both wrong); without it, only the stage is wrong.
    static func withConflictingStage(_ junction: Junction, believed: Bool) -> Junction {
        var copy = junction
        copy.stages = [Stage(name: "both-roads", groups: [main, side]), Stage(name: "main", groups: [main, crossing])]
        copy.sequence = [0, 1]
        if believed {
            copy.conflicts[main][side] = false
            copy.conflicts[side][main] = false
            copy.intergreen[main][side] = 0
            copy.intergreen[side][main] = 0
        }
        return copy
    }
}
