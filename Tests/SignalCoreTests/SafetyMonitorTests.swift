import SignalCore
import Testing

/// Hand-written lamp sequences for `SafetyMonitor`: one per violation kind, the latch, the reset,
/// and a correct cycle that must pass.
///
/// Groups: A and B are conflicting vehicle heads (min green 5 s, amber 3 s, red+amber 1.5 s, intergreen
/// 6 s both ways); P is a crossing (walk 4 s, clearance 6 s) that conflicts with B (B→P 5 s, P→B 8 s).
@Suite struct SafetyMonitorTests {
    private typealias Lamps = [SignalState]
    private static let allStop: Lamps = [.red, .red, .dontWalk]

    private static func junction(amberA: Tenths = 30) -> Junction {
        let vehicle = SignalGroupTiming(minGreen: 50, maxGreen: 300, passage: 30, clearance: 30, redAmber: 15)
        var amberedA = vehicle
        amberedA.clearance = amberA
        let walk = SignalGroupTiming(minGreen: 40, maxGreen: 40, passage: 0, clearance: 60, redAmber: 0)
        let groups = [
            SignalGroup(name: "A", kind: .vehicle, timing: amberedA),
            SignalGroup(name: "B", kind: .vehicle, timing: vehicle),
            SignalGroup(name: "P", kind: .pedestrian, timing: walk),
        ]
        var conflicts = Array(repeating: Array(repeating: false, count: 3), count: 3)
        var intergreen = Array(repeating: Array(repeating: Tenths(0), count: 3), count: 3)
        for (a, b, ab, ba) in [(0, 1, 60, 60), (1, 2, 50, 80)] {
            conflicts[a][b] = true
            conflicts[b][a] = true
            intergreen[a][b] = ab
            intergreen[b][a] = ba
        }
        return Junction(
            name: "monitor", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "A", groups: [0, 2]), Stage(name: "B", groups: [1])])
    }

    /// Startup flash, all-red, then A's red+amber and a green of `green` ticks, amber of `amber` ticks.
    private static func startAndServeA(green: Int = 50, amber: Int = 30) -> [(Int, Lamps)] {
        [
            (10, [.flashingAmber, .flashingAmber, .dark]),
            (30, allStop),
            (15, [.redAmber, .red, .dontWalk]),
            (green, [.green, .red, .dontWalk]),
            (amber, [.amber, .red, .dontWalk]),
        ]
    }

    /// A full correct cycle: A, then B after its intergreen, then A again with the crossing walking.
    private static var correctCycle: [(Int, Lamps)] {
        startAndServeA() + [
            (15, allStop),
            (15, [.red, .redAmber, .dontWalk]),
            (50, [.red, .green, .dontWalk]),
            (30, [.red, .amber, .dontWalk]),
            (30, allStop),
            (15, [.redAmber, .red, .dontWalk]),
            (40, [.green, .red, .walk]),
            (60, [.green, .red, .flashingDontWalk]),
            (10, [.green, .red, .dontWalk]),
        ]
    }

    /// Plays the phases (each held for its count of ticks) and returns the first violation.
    private static func play(_ phases: [(Int, Lamps)], on monitor: inout SafetyMonitor, from start: Tenths = 1)
        -> SafetyViolation?
    {
        var tick = start
        for (count, lamps) in phases {
            for _ in 0..<count {
                if let violation = monitor.check(tick: tick, states: lamps) { return violation }
                tick += 1
            }
        }
        return nil
    }

    private static func firstViolation(_ phases: [(Int, Lamps)], junction: Junction = junction()) -> SafetyViolation? {
        var monitor = SafetyMonitor(junction: junction)
        return play(phases, on: &monitor)
    }

    @Test func acceptsACorrectCycle() {
        #expect(Self.firstViolation(Self.correctCycle) == nil)
    }

    @Test func conflictingGroupsOpenTogether() {
        let violation = Self.firstViolation(Self.startAndServeA().prefix(2) + [(1, [.redAmber, .redAmber, .dontWalk])])
        #expect(violation?.kind == .conflict)
        #expect(violation?.groups == [0, 1])
        #expect(violation?.tick == 41)
    }

    @Test func walkWithAConflictingGreen() {
        let violation = Self.firstViolation(Self.startAndServeA().prefix(2) + [
            (15, [.red, .redAmber, .dontWalk]), (20, [.red, .green, .dontWalk]), (1, [.red, .green, .walk]),
        ])
        #expect(violation?.kind == .conflict)
        #expect(violation?.groups == [1, 2])
    }

    @Test func greenShorterThanMinimum() {
        let violation = Self.firstViolation(Self.startAndServeA(green: 20))
        #expect(violation?.kind == .minimumGreen)
        #expect(violation?.groups == [0])
    }

    @Test func walkShorterThanMinimum() {
        let phases = Self.startAndServeA().prefix(2) + [(10, [.red, .red, .walk]), (1, [.red, .red, .flashingDontWalk])]
        #expect(Self.firstViolation(Array(phases))?.kind == .minimumGreen)
    }

    @Test func amberShorterThanConfigured() {
        let violation = Self.firstViolation(Self.startAndServeA(amber: 29) + [(1, Self.allStop)])
        #expect(violation?.kind == .minimumClearance)
        #expect(violation?.groups == [0])
    }

    @Test func amberBelowTheFloorEvenWhenConfiguredLower() {
        let lowAmber = Self.junction(amberA: 20)
        // 2.6 s of amber: longer than configured, shorter than 2.7 s.
        let short = Self.firstViolation(Self.startAndServeA(amber: 26) + [(1, Self.allStop)], junction: lowAmber)
        #expect(short?.kind == .minimumClearance)
        let atFloor = Self.firstViolation(Self.startAndServeA(amber: 27) + [(1, Self.allStop)], junction: lowAmber)
        #expect(atFloor == nil)
    }

    @Test func flashingDontWalkShorterThanClearance() {
        let phases = Self.startAndServeA().prefix(2) + [
            (40, [.red, .red, .walk]), (59, [.red, .red, .flashingDontWalk]), (1, Self.allStop),
        ]
        #expect(Self.firstViolation(Array(phases))?.kind == .minimumClearance)
    }

    @Test func greenBeforeItsIntergreen() {
        // B's red+amber starts as soon as A is red: B's green comes 4.5 s after A's ended, not 6 s.
        let violation = Self.firstViolation(Self.startAndServeA() + [
            (15, [.red, .redAmber, .dontWalk]), (1, [.red, .green, .dontWalk]),
        ])
        #expect(violation?.kind == .intergreen)
        #expect(violation?.groups == [0, 1])
    }

    @Test func greenStraightToRed() {
        let phases = Self.startAndServeA().prefix(4) + [(1, Self.allStop)]
        #expect(Self.firstViolation(Array(phases))?.kind == .illegalTransition)
    }

    @Test func amberBackToGreen() {
        let phases = Self.startAndServeA(amber: 10) + [(1, [.green, .red, .dontWalk])]
        #expect(Self.firstViolation(phases)?.kind == .illegalTransition)
    }

    @Test func redAmberBackToRed() {
        let phases = Self.startAndServeA().prefix(3) + [(1, Self.allStop)]
        #expect(Self.firstViolation(Array(phases))?.kind == .illegalTransition)
    }

    @Test func redStraightToGreenWhenRedAmberIsConfigured() {
        let phases = Self.startAndServeA().prefix(2) + [(1, [.green, .red, .dontWalk])]
        #expect(Self.firstViolation(Array(phases))?.kind == .illegalTransition)
    }

    @Test func aspectsOfTheWrongKind() {
        let walkOnVehicle = Self.startAndServeA().prefix(2) + [(1, [.walk, .red, .dontWalk])]
        #expect(Self.firstViolation(Array(walkOnVehicle))?.kind == .illegalAspect)
        let greenOnCrossing = Self.startAndServeA().prefix(2) + [(1, [.red, .red, .green])]
        #expect(Self.firstViolation(Array(greenOnCrossing))?.kind == .illegalAspect)
    }

    @Test func unsafeFirstState() {
        let violation = Self.firstViolation([(1, [.green, .red, .dontWalk])])
        #expect(violation?.kind == .unsafeInitialState)
        #expect(Self.firstViolation([(1, [.red, .red, .walk])])?.kind == .unsafeInitialState)
        #expect(Self.firstViolation([(1, Self.allStop)]) == nil)
    }

    @Test func readBackMismatch() {
        var monitor = SafetyMonitor(junction: Self.junction())
        #expect(monitor.checkReadBack(tick: 1, commanded: Self.allStop, shown: Self.allStop) == nil)
        let violation = monitor.checkReadBack(tick: 2, commanded: Self.allStop, shown: [.red, .green, .dontWalk])
        #expect(violation?.kind == .readBackMismatch)
        #expect(violation?.groups == [1])
        #expect(monitor.latched == violation)
    }

    @Test func latchesUntilResetThenJudgesAFreshStart() {
        var monitor = SafetyMonitor(junction: Self.junction())
        let violation = Self.play(Self.startAndServeA(green: 20), on: &monitor)
        #expect(violation?.kind == .minimumGreen)
        // Correct states afterwards do not clear it.
        #expect(Self.play([(100, Self.allStop)], on: &monitor, from: 500) == violation)
        #expect(monitor.latched == violation)
        monitor.reset()
        #expect(monitor.latched == nil)
        // After the reset the next state is a first state again: green is unsafe, red is fine.
        var fresh = monitor
        #expect(fresh.check(tick: 700, states: [.green, .red, .dontWalk])?.kind == .unsafeInitialState)
        #expect(monitor.check(tick: 700, states: Self.allStop) == nil)
        #expect(Self.play(Array(Self.correctCycle.dropFirst()), on: &monitor, from: 701) == nil)
    }
}
