/// An independent check of every signal state, commanded or read back from the field.
///
/// It shares no timing logic with `SignalController`: it only knows the junction's conflict
/// and intergreen matrices and each group's minimums, and watches the aspects go by. The
/// first breach is latched and returned on every later call until `reset()`, so one fault
/// cannot be hidden by the states that follow it. Amber is never accepted below
/// `SafetyMonitor.amberFloor` whatever the configuration says.
public struct SafetyMonitor: Sendable {
    /// The least amber any vehicle head may show, in tenths (2.7 s, as TS2 monitors enforce).
    public static let amberFloor: Tenths = 27

    private static let never: Tenths = Int.min / 4

    public let junction: Junction
    public private(set) var latched: SafetyViolation?

    private var started = false
    private var previous: [SignalState]
    private var since: [Tenths]
    private var greenStart: [Tenths]
    private var greenEnd: [Tenths]
    private let conflictPairs: [(Int, Int)]

    public init(junction: Junction) {
        self.junction = junction
        let count = junction.groups.count
        previous = Array(repeating: .dark, count: count)
        since = Array(repeating: 0, count: count)
        greenStart = Array(repeating: Self.never, count: count)
        greenEnd = Array(repeating: Self.never, count: count)
        var pairs: [(Int, Int)] = []
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) where junction.conflicts[a][b] || junction.conflicts[b][a] {
                pairs.append((a, b))
            }
        }
        conflictPairs = pairs
    }

    /// A monitor for a reloaded junction that keeps watching the lamps without a gap: it takes
    /// over the history (aspects, when they began, last green start and end) of `previous`.
    ///
    /// The caller guarantees the two junctions have the same groups in the same order.
    public init(junction: Junction, continuing previous: SafetyMonitor) {
        self.init(junction: junction)
        continueWatching(from: previous)
    }

    /// Takes over the history of `previous` in place, as `init(junction:continuing:)` does, without
    /// allocating: a monitor built off the real-time thread for a reloaded junction continues
    /// the running one's watch at the moment of the handover.
    ///
    /// The caller guarantees the two junctions have the same groups in the same order.
    public mutating func continueWatching(from previous: SafetyMonitor) {
        precondition(previous.previous.count == self.previous.count, "same groups to continue")
        latched = previous.latched
        started = previous.started
        // Element by element: sharing the arrays would make the next check copy them.
        for g in self.previous.indices {
            self.previous[g] = previous.previous[g]
            since[g] = previous.since[g]
            greenStart[g] = previous.greenStart[g]
            greenEnd[g] = previous.greenEnd[g]
        }
    }

    /// Latches a fault found elsewhere (persisted before a restart, or by a field backend).
    public mutating func latch(_ violation: SafetyViolation) {
        if latched == nil { latched = violation }
    }

    /// Forgets the latched fault and the history, so the next state is judged as a first one.
    public mutating func reset() {
        latched = nil
        started = false
        for g in greenStart.indices {
            greenStart[g] = Self.never
            greenEnd[g] = Self.never
        }
    }

    /// Checks the states shown at `tick` against the states before them.
    ///
    /// Returns the latched violation (new or old), or nil while everything is within the envelope.
    /// Allocates nothing unless it finds a violation.
    public mutating func check(tick: Tenths, states: [SignalState]) -> SafetyViolation? {
        if let latched { return latched }
        precondition(states.count == previous.count, "one state per signal group")
        for g in states.indices {
            if let violation = checkGroup(g, tick: tick, state: states[g]) {
                latched = violation
                return violation
            }
        }
        for (a, b) in conflictPairs where states[a].isOpen && states[b].isOpen {
            let violation = SafetyViolation(
                tick: tick, kind: .conflict, groups: [a, b],
                description: "conflicting groups \(name(a)) (\(states[a].shortName)) and \(name(b)) "
                    + "(\(states[b].shortName)) open together")
            latched = violation
            return violation
        }
        for g in states.indices {
            previous[g] = states[g]
        }
        started = true
        return nil
    }

    /// Compares what the field shows with what was commanded, latching a mismatch.
    public mutating func checkReadBack(tick: Tenths, commanded: [SignalState], shown: [SignalState])
        -> SafetyViolation?
    {
        if let latched { return latched }
        for g in commanded.indices where commanded[g] != shown[g] {
            let violation = SafetyViolation(
                tick: tick, kind: .readBackMismatch, groups: [g],
                description: "group \(name(g)) commanded \(commanded[g].shortName) but shows \(shown[g].shortName)")
            latched = violation
            return violation
        }
        return check(tick: tick, states: shown)
    }

    private func name(_ g: Int) -> String { junction.groups[g].name }

    private mutating func checkGroup(_ g: Int, tick: Tenths, state: SignalState) -> SafetyViolation? {
        let group = junction.groups[g]
        if !Self.aspectAllowed(state, for: group.kind) {
            return SafetyViolation(
                tick: tick, kind: .illegalAspect, groups: [g],
                description: "group \(group.name) (\(group.kind.rawValue)) cannot show \(state.shortName)")
        }
        guard started else {
            guard state.isFlash || state.isStop else {
                return SafetyViolation(
                    tick: tick, kind: .unsafeInitialState, groups: [g],
                    description: "group \(group.name) started in \(state.shortName), not flash or red")
            }
            since[g] = tick
            return nil
        }
        let before = previous[g]
        guard state != before else { return nil }
        let held = tick - since[g]
        if let problem = transitionProblem(from: before, to: state, held: held, group: group, g: g, tick: tick) {
            return SafetyViolation(tick: tick, kind: problem.kind, groups: [g], description: problem.text)
        }
        if state.isGreen {
            if let violation = intergreenViolation(entering: g, tick: tick) { return violation }
            greenStart[g] = tick
        }
        if before.isGreen {
            greenEnd[g] = tick
        }
        since[g] = tick
        return nil
    }

    private func transitionProblem(
        from before: SignalState, to state: SignalState, held: Tenths, group: SignalGroup, g: Int, tick: Tenths
    ) -> (kind: SafetyViolation.Kind, text: String)? {
        let timing = group.timing
        switch (before, state) {
        case (.red, .redAmber), (.dontWalk, .walk):
            return nil
        case (.red, .green):
            if timing.redAmber == 0 { return nil }
            return (.illegalTransition, "group \(group.name) went red→green without its red+amber")
        case (.redAmber, .green):
            return nil
        case (.green, .amber), (.walk, .flashingDontWalk):
            let shown = tick - greenStart[g]
            if shown >= timing.minGreen { return nil }
            return (.minimumGreen, "group \(group.name) green ended after \(shown) tenths, minimum \(timing.minGreen)")
        case (.amber, .red), (.flashingDontWalk, .dontWalk):
            let floor = group.kind == .pedestrian ? timing.clearance : max(timing.clearance, Self.amberFloor)
            if held >= floor { return nil }
            return (.minimumClearance, "group \(group.name) clearance lasted \(held) tenths, minimum \(floor)")
        default:
            if (before.isStop || before.isFlash) && (state.isStop || state.isFlash) { return nil }
            return (.illegalTransition, "group \(group.name) went \(before.shortName)→\(state.shortName)")
        }
    }

    private func intergreenViolation(entering g: Int, tick: Tenths) -> SafetyViolation? {
        for h in junction.groups.indices where h != g && junction.conflicts[h][g] && greenEnd[h] != Self.never {
            let needed = junction.intergreen[h][g]
            let gap = tick - greenEnd[h]
            if gap < needed {
                return SafetyViolation(
                    tick: tick, kind: .intergreen, groups: [h, g],
                    description: "group \(name(g)) got green \(gap) tenths after \(name(h)) ended, intergreen \(needed)")
            }
        }
        return nil
    }

    private static func aspectAllowed(_ state: SignalState, for kind: SignalGroupKind) -> Bool {
        switch state {
        case .red, .redAmber, .green, .amber, .flashingAmber:
            return kind != .pedestrian
        case .dontWalk, .walk, .flashingDontWalk:
            return kind == .pedestrian
        case .flashingRed, .dark:
            return true
        }
    }
}
