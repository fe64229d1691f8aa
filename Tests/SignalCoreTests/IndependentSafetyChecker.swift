import SignalCore

/// A per-tick check of the lamps written for the tests, sharing no code with `SafetyMonitor` or
/// `SignalController` (not even `SignalState.isOpen`): it classifies aspects itself and reads only
/// the junction's matrices and timings.
///
/// Rules: no two conflicting groups open (green, amber, red+amber, walk, flashing don't walk)
/// together; every green or walk lasts its minimum; every amber lasts max(configured, 2.7 s) and
/// every flashing don't walk its clearance; every green starts at least the intergreen after every
/// conflicting green ended; red+amber comes only from red, lasts its configured time, goes only to
/// green, and is never skipped when configured; vehicle lamps go red → (red+amber) → green → amber →
/// red and pedestrian lamps don't walk → walk → flashing don't walk → don't walk; flash is entered
/// and left only from closed lamps, entered only after every lamp has been closed for the startup all-red
/// (at least one tick); after flash no green starts before the startup all-red has passed;
/// the first lamps seen are closed or flashing; each group shows only aspects of its kind.
struct IndependentSafetyChecker {
    enum Rule: String, Sendable {
        case conflict, minimumGreen, minimumClearance, intergreen, redAmber, illegalTransition
        case illegalAspect, unsafeInitialState, allRedAfterFlash, allRedBeforeFlash
    }

    struct Finding: Sendable, CustomStringConvertible {
        var tick: Tenths
        var rule: Rule
        var groups: [Int]
        var detail: String
        var description: String { "tick \(tick): \(rule.rawValue) \(groups): \(detail)" }
    }

    /// What an aspect means, in this checker's own terms.
    private enum Lamp: Equatable {
        case stop, prepare, go, clearing, flash
        var open: Bool { self == .prepare || self == .go || self == .clearing }
    }

    private static let amberFloor: Tenths = 27
    private static let never: Tenths = Int.min / 4

    private let junction: Junction
    private let conflictPairs: [(Int, Int)]
    private var previous: [SignalState] = []
    private var since: [Tenths]
    private var goStart: [Tenths]
    private var goEnd: [Tenths]
    private var lastFlashTick: Tenths = Self.never
    private var lastOpenTick: Tenths = Self.never

    /// Findings so far (the first one is usually the only interesting one).
    private(set) var findings = 0

    init(junction: Junction) {
        self.junction = junction
        let count = junction.groups.count
        var pairs: [(Int, Int)] = []
        for a in 0..<count {
            for b in 0..<count where a < b && (junction.conflicts[a][b] || junction.conflicts[b][a]) {
                pairs.append((a, b))
            }
        }
        conflictPairs = pairs
        since = Array(repeating: 0, count: count)
        goStart = Array(repeating: Self.never, count: count)
        goEnd = Array(repeating: Self.never, count: count)
    }

    private static func lamp(_ state: SignalState) -> Lamp {
        switch state {
        case .red, .dontWalk: return .stop
        case .redAmber: return .prepare
        case .green, .walk: return .go
        case .amber, .flashingDontWalk: return .clearing
        case .flashingAmber, .flashingRed, .dark: return .flash
        }
    }

    private static func belongs(_ state: SignalState, to kind: SignalGroupKind) -> Bool {
        switch (state, kind) {
        case (.red, .vehicle), (.redAmber, .vehicle), (.green, .vehicle), (.amber, .vehicle),
            (.red, .turnArrow), (.redAmber, .turnArrow), (.green, .turnArrow), (.amber, .turnArrow),
            (.flashingAmber, .vehicle), (.flashingAmber, .turnArrow):
            return true
        case (.dontWalk, .pedestrian), (.walk, .pedestrian), (.flashingDontWalk, .pedestrian):
            return true
        case (.flashingRed, _), (.dark, _):
            return true
        default:
            return false
        }
    }

    /// Checks the lamps shown at `tick`; returns the first rule broken, or nil.
    mutating func observe(tick: Tenths, aspects: [SignalState]) -> Finding? {
        let finding = check(tick: tick, aspects: aspects)
        if finding != nil { findings += 1 }
        return finding
    }

    private mutating func check(tick: Tenths, aspects: [SignalState]) -> Finding? {
        for g in aspects.indices where !Self.belongs(aspects[g], to: junction.groups[g].kind) {
            return Finding(tick: tick, rule: .illegalAspect, groups: [g],
                           detail: "\(junction.groups[g].kind.rawValue) group shows \(aspects[g])")
        }
        for (a, b) in conflictPairs where Self.lamp(aspects[a]).open && Self.lamp(aspects[b]).open {
            return Finding(tick: tick, rule: .conflict, groups: [a, b], detail: "\(aspects[a]) with \(aspects[b])")
        }
        if previous.isEmpty {
            for g in aspects.indices where Self.lamp(aspects[g]).open {
                return Finding(tick: tick, rule: .unsafeInitialState, groups: [g], detail: "first shown \(aspects[g])")
            }
            previous = aspects
            for g in aspects.indices { since[g] = tick }
            if aspects.contains(where: { Self.lamp($0) == .flash }) { lastFlashTick = tick }
            return nil
        }
        for g in aspects.indices where aspects[g] != previous[g] {
            if let finding = transition(g, from: previous[g], to: aspects[g], tick: tick) { return finding }
        }
        let isFlash = { (state: SignalState) in Self.lamp(state) == .flash }
        if aspects.contains(where: isFlash) && !previous.contains(where: isFlash) {
            let closedFor = tick - (lastOpenTick + 1)
            let allRed = max(junction.startup.allRedTime, 1)
            if closedFor < allRed {
                return Finding(tick: tick, rule: .allRedBeforeFlash, groups: [],
                               detail: "flash \(closedFor) after the last open lamp, all-red \(allRed)")
            }
        }
        if aspects.contains(where: { Self.lamp($0).open }) { lastOpenTick = tick }
        for g in aspects.indices where aspects[g] != previous[g] {
            if Self.lamp(previous[g]) == .go { goEnd[g] = tick }
            if Self.lamp(aspects[g]) == .go { goStart[g] = tick }
            since[g] = tick
            previous[g] = aspects[g]
        }
        if aspects.contains(where: { Self.lamp($0) == .flash }) { lastFlashTick = tick }
        return nil
    }

    private func transition(_ g: Int, from before: SignalState, to after: SignalState, tick: Tenths) -> Finding? {
        let group = junction.groups[g]
        let timing = group.timing
        let held = tick - since[g]
        func finding(_ rule: Rule, _ detail: String, _ groups: [Int]? = nil) -> Finding {
            Finding(
                tick: tick, rule: rule, groups: groups ?? [g], detail: "\(group.name) \(before)→\(after): \(detail)")
        }
        switch (Self.lamp(before), Self.lamp(after)) {
        case (.stop, .prepare):
            if group.kind == .pedestrian || timing.redAmber == 0 {
                return finding(.redAmber, "no red+amber configured")
            }
        case (.stop, .go):
            if group.kind != .pedestrian && timing.redAmber > 0 {
                return finding(.redAmber, "red+amber of \(timing.redAmber) skipped")
            }
            return greenStartProblem(g, tick: tick, finding: finding)
        case (.prepare, .go):
            if held < timing.redAmber {
                return finding(.redAmber, "red+amber lasted \(held), configured \(timing.redAmber)")
            }
            return greenStartProblem(g, tick: tick, finding: finding)
        case (.prepare, _):
            return finding(.redAmber, "red+amber not followed by green")
        case (.go, .clearing):
            if held < timing.minGreen {
                return finding(.minimumGreen, "green lasted \(held), minimum \(timing.minGreen)")
            }
        case (.clearing, .stop):
            let floor = group.kind == .pedestrian ? timing.clearance : max(timing.clearance, Self.amberFloor)
            if held < floor { return finding(.minimumClearance, "clearance lasted \(held), minimum \(floor)") }
        case (.stop, .flash), (.flash, .stop), (.flash, .flash):
            break
        default:
            return finding(.illegalTransition, "not in the \(group.kind.rawValue) sequence")
        }
        return nil
    }

    private func greenStartProblem(_ g: Int, tick: Tenths, finding: (Rule, String, [Int]?) -> Finding) -> Finding? {
        for h in junction.groups.indices where h != g && junction.conflicts[h][g] && goEnd[h] != Self.never {
            let gap = tick - goEnd[h]
            if gap < junction.intergreen[h][g] {
                return finding(.intergreen, "green \(gap) after \(junction.groups[h].name) ended, intergreen "
                    + "\(junction.intergreen[h][g])", [h, g])
            }
        }
        let sinceFlash = tick - (lastFlashTick + 1)
        if sinceFlash < junction.startup.allRedTime {
            let allRed = junction.startup.allRedTime
            return finding(.allRedAfterFlash, "green \(sinceFlash) after flash, all-red \(allRed)", nil)
        }
        return nil
    }
}
