import SignalCore

/// One way a broken sequencer could corrupt the states the controller commands, applied once, at
/// the first tick where it is certain to break the safety envelope, and the rule that breaks.
///
/// `CommandCorruption.Injector` watches the honest states the sequencing chooses (the same history
/// the controller's monitor keeps) to find that tick; it is installed as the controller's
/// `sequencingFault`, so the corrupted states go through the production step and its own monitor.
enum CommandCorruption: String, CaseIterable, Sendable {
    /// A closed vehicle group conflicting with an open one goes to red+amber (open) with it.
    case conflictingOpen
    /// An amber (or flashing don't walk) one tick old goes straight to red (or don't walk).
    case shortenedAmber
    /// A group about to show red+amber goes from red straight to green.
    case skippedRedAmber
    /// An amber goes back to green (SUMO PR #10082).
    case amberBackToGreen
    /// A green (or walk) one tick old goes to amber (or flashing don't walk).
    case shortenedGreen
    /// A closed group with no red+amber gets green (or walk) before its intergreen from a
    /// conflicting green that just ended has passed.
    case earlyGreen

    /// The rule the controller's monitor must report.
    var expected: SafetyViolation.Kind {
        switch self {
        case .conflictingOpen: return .conflict
        case .shortenedAmber: return .minimumClearance
        case .skippedRedAmber, .amberBackToGreen: return .illegalTransition
        case .shortenedGreen: return .minimumGreen
        case .earlyGreen: return .intergreen
        }
    }

    /// Applies one `CommandCorruption` to a controller's chosen states, once.
    struct Injector {
        private static let never: Tenths = Int.min / 4

        let junction: Junction
        let corruption: CommandCorruption
        /// The tick whose states were corrupted, once it happened.
        private(set) var corruptedAt: Tenths?
        private var previous: [SignalState] = []
        private var since: [Tenths]
        private var greenEnd: [Tenths]

        init(junction: Junction, corruption: CommandCorruption) {
            self.junction = junction
            self.corruption = corruption
            since = Array(repeating: 0, count: junction.groups.count)
            greenEnd = Array(repeating: Self.never, count: junction.groups.count)
        }

        /// Called with the states chosen for `tick`; corrupts them if this is the tick.
        mutating func apply(tick: Tenths, states: inout [SignalState]) {
            let honest = states
            if corruptedAt == nil, !previous.isEmpty, let (g, wrong) = target(tick: tick, now: honest) {
                states[g] = wrong
                corruptedAt = tick
            }
            for g in honest.indices where previous.isEmpty || honest[g] != previous[g] {
                if !previous.isEmpty && previous[g].isGreen { greenEnd[g] = tick }
                since[g] = tick
            }
            previous = honest
        }

        /// The group to corrupt at `tick` and the state to give it, or nil if the corruption
        /// would not certainly break the envelope now.
        private func target(tick: Tenths, now: [SignalState]) -> (Int, SignalState)? {
            let groups = junction.groups
            for g in groups.indices {
                let steady = now[g] == previous[g]
                let held = tick - since[g]
                let pedestrian = groups[g].kind == .pedestrian
                let timing = groups[g].timing
                switch corruption {
                case .conflictingOpen:
                    let opposed = groups.indices.contains { h in
                        now[h].isOpen && (junction.conflicts[g][h] || junction.conflicts[h][g])
                    }
                    if !pedestrian && steady && now[g] == .red && opposed { return (g, .redAmber) }
                case .shortenedAmber:
                    let floor = pedestrian ? timing.clearance : max(timing.clearance, SafetyMonitor.amberFloor)
                    if steady && now[g].isClearance && held < floor { return (g, pedestrian ? .dontWalk : .red) }
                case .skippedRedAmber:
                    if now[g] == .redAmber && previous[g] == .red { return (g, .green) }
                case .amberBackToGreen:
                    if steady && now[g] == .amber { return (g, .green) }
                case .shortenedGreen:
                    if steady && now[g].isGreen && held < timing.minGreen {
                        return (g, pedestrian ? .flashingDontWalk : .amber)
                    }
                case .earlyGreen:
                    let noRedAmber = pedestrian || timing.redAmber == 0
                    let tooSoon = groups.indices.contains { h in
                        junction.conflicts[h][g] && greenEnd[h] != Self.never
                            && tick - greenEnd[h] < junction.intergreen[h][g]
                    }
                    if steady && now[g].isStop && noRedAmber && tooSoon { return (g, pedestrian ? .walk : .green) }
                }
            }
            return nil
        }
    }
}
