import SignalCore

/// Watches every standing call and reports one that waits longer than `ServiceBound` allows.
///
/// A call stands, in this watch's own reading of the inputs (not the controller's):
/// - always, for a group on minimum, maximum or pedestrian recall, or while a fixed-time plan runs;
/// - for a group with locking memory, from the first actuation or presence on one of its calling
///   detectors, not flagged stale, while the group was not green, until the group turns green;
/// - for a group with non-locking memory, while presence on a calling detector lasts unbroken.
/// Calls placed only by failed-detector recall are not watched: they come and go with the fault.
///
/// Under an adaptive strategy (`init(junction:maxWaitOnly:)`), only the groups with a `max_wait`
/// are watched, each against its own bound: `max_wait` plus the actuated bound, which holds the lap
/// that `SignalGroup.maxWait` derives (the running stage, every other stage at most once, each
/// change's interstage, and startup).
struct StarvationWatch {
    struct Finding: Sendable, CustomStringConvertible {
        var group: Int
        var name: String
        var callTick: Tenths
        var tick: Tenths
        var bound: Tenths
        var description: String {
            "group \(group) (\(name)) called at tick \(callTick) still not green at tick \(tick), "
                + "waited \(tick - callTick) > bound \(bound)"
        }
    }

    let bound: Tenths
    /// Each group's own bound (`bound` for all, unless watching `max_wait`; nil: not watched).
    private var bounds: [Tenths?]
    private let junction: Junction
    private let callingDetectors: [[Int]]
    private let alwaysCalled: [Bool]
    private var waitingSince: [Tenths?]
    private var reported: [Bool]

    init(junction: Junction, planRunning: Bool) {
        self.junction = junction
        let plan = planRunning ? junction.plans.first : nil
        bound = plan.map { ServiceBound.fixedTime(junction, plan: $0) } ?? ServiceBound.actuated(junction)
        bounds = Array(repeating: bound, count: junction.groups.count)
        callingDetectors = junction.groups.indices.map { g in
            junction.detectors.indices.filter { d in
                let detector = junction.detectors[d]
                switch detector.function {
                case .call, .callAndExtend: return detector.groups.contains(g)
                case .extend, .preempt: return false
                }
            }
        }
        alwaysCalled = junction.groups.map { group in
            switch group.recall {
            case .minimum, .maximum, .pedestrian: return true
            case .none, .soft: return planRunning
            }
        }
        waitingSince = Array(repeating: nil, count: junction.groups.count)
        reported = Array(repeating: false, count: junction.groups.count)
    }

    /// Watches only the groups with a `max_wait`, for a controller running a strategy (no plan).
    init(junction: Junction, maxWaitOnly: Bool) {
        self.init(junction: junction, planRunning: false)
        if maxWaitOnly {
            let lap = bound
            bounds = junction.groups.map { group in group.maxWait.map { $0 + lap } }
        }
    }

    private static func isGo(_ state: SignalState) -> Bool {
        switch state {
        case .green, .walk: return true
        default: return false
        }
    }

    /// A group whose call has stood at least its `max_wait` plus its clearance plus `slack`, if any:
    /// from then on every stage change must serve an overdue group. (The controller counts the wait
    /// from the end of the clearance; this watch from a call placed during it.)
    func overdueGroup(at tick: Tenths, slack: Tenths) -> Int? {
        for g in waitingSince.indices {
            guard let start = waitingSince[g], let maxWait = junction.groups[g].maxWait else { continue }
            if tick - start >= maxWait + ServiceBound.effectiveAmber(junction.groups[g]) + slack {
                return g
            }
        }
        return nil
    }

    /// Updates the calls from this tick's inputs and lamps; returns a call that overstayed the bound.
    mutating func observe(tick: Tenths, snapshot: DetectorSnapshot, before: [SignalState], after: [SignalState])
        -> Finding?
    {
        var overdue: Finding?
        for g in after.indices {
            if Self.isGo(after[g]) {
                waitingSince[g] = nil
                reported[g] = false
                continue
            }
            if alwaysCalled[g] {
                if waitingSince[g] == nil { waitingSince[g] = tick }
            } else {
                var actuated = false
                var present = false
                for d in callingDetectors[g] where !snapshot.communicationFault[d] {
                    if snapshot.presence[d] { present = true }
                    if snapshot.actuations[d] > 0 { actuated = true }
                }
                switch junction.groups[g].memory {
                case .locking:
                    if (actuated || present) && !Self.isGo(before[g]) && waitingSince[g] == nil {
                        waitingSince[g] = tick
                    }
                case .nonLocking:
                    if !present {
                        waitingSince[g] = nil
                        reported[g] = false
                    } else if waitingSince[g] == nil {
                        waitingSince[g] = tick
                    }
                }
            }
            if let start = waitingSince[g], let limit = bounds[g], tick - start > limit, !reported[g] {
                reported[g] = true
                if overdue == nil {
                    overdue = Finding(
                        group: g, name: junction.groups[g].name, callTick: start, tick: tick, bound: limit)
                }
            }
        }
        return overdue
    }
}
