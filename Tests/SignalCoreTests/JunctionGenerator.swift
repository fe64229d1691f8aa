import PropertyBased
import SignalCore

/// Random valid junctions for the property tests, built from a shrinkable list of choices.
///
/// Every junction it builds is meant to pass `JunctionValidator`: 2–10 groups mixing vehicle,
/// turn-arrow and pedestrian kinds; a symmetric conflict matrix; intergreens of at least the leaving
/// group's clearance plus the entering group's red+amber, plus a random all-red; stages that cover
/// every group without internal conflicts, run in a sequence over all stages; detectors with random
/// functions, placements, diagnostic thresholds and failed-detector actions; and sometimes a
/// fixed-time plan with feasible splits. About one junction in five is instead a NEMA dual-ring
/// ring-barrier layout compiled by `RingBarrierDescription` (see `makeRingBarrier`), with the same
/// detectors, startup and plans.
enum JunctionGenerator {
    /// Cases for `propertyCheck`: the junction's genes and the traffic seed shrink independently.
    /// Each case runs one of `strategies` (shrinking toward the first).
    /// With `maxWaits`, groups also get random `max_wait` values (`drawMaxWaits`) and no plan runs.
    static func cases(strategies: [AdaptiveSettings.Strategy] = [.actuated], maxWaits: Bool = false)
        -> Generator<JunctionCase, some Sequence & SendableMetatype>
    {
        zip(Gen.int(in: 0...9999).array(of: 100...400), Gen.uint64()).map { genes, seed in
            build(genes: genes, trafficSeed: seed, strategies: strategies, maxWaits: maxWaits)
        }
    }

    /// - Parameter ringBarrier: forces a ring-barrier (true) or a free layout (false); nil lets the
    ///   genes choose.
    static func build(
        genes: [Int], trafficSeed: UInt64, strategies: [AdaptiveSettings.Strategy] = [.actuated],
        ringBarrier: Bool? = nil, maxWaits: Bool = false
    ) -> JunctionCase {
        var stream = GeneStream(genes)
        let nema = stream.chance(20)
        var junction: Junction
        if ringBarrier ?? nema {
            junction = makeRingBarrier(&stream)
        } else {
            let groups = makeGroups(&stream)
            let (conflicts, intergreen) = makeMatrices(groups, &stream)
            let stages = makeStages(conflicts, &stream)
            junction = Junction(
                name: "generated", groups: groups, conflicts: conflicts, intergreen: intergreen, stages: stages,
                sequence: stream.permutation(stages.count))
        }
        junction.startup = StartupTiming(flashTime: stream.int(30...100), allRedTime: stream.int(20...60))
        junction.detectors = makeDetectors(&junction, &stream)
        var startPlan: String?
        if stream.chance(40), let plan = makePlan(junction, &stream) {
            junction.plans = [plan]
            if stream.chance(60) { startPlan = plan.name }
        }
        let strategy = stream.pick(strategies)
        if maxWaits {
            // Drawn last, so the rest of the junction is the one the same genes give without them.
            drawMaxWaits(&junction, &stream)
            startPlan = nil
        }
        return JunctionCase(junction: junction, startPlan: startPlan, strategy: strategy, trafficSeed: trafficSeed)
    }

    /// A `max_wait` for about two groups in three, anywhere in the valid 10–600 s but mostly short
    /// (10–60 s, below a cycle, so the bound binds); none for a vehicle group green in every stage,
    /// which the validator refuses. A shrunk gene gives no bound.
    private static func drawMaxWaits(_ junction: inout Junction, _ stream: inout GeneStream) {
        for g in junction.groups.indices {
            let alwaysGreen = junction.groups[g].kind != .pedestrian
                && junction.sequence.allSatisfy { junction.stages[$0].groups.contains(g) }
            guard stream.chance(67), !alwaysGreen else { continue }
            junction.groups[g].maxWait = stream.chance(80) ? stream.int(100...600) : stream.int(100...6000)
        }
    }

    private static func makeGroups(_ stream: inout GeneStream) -> [SignalGroup] {
        let count = stream.int(2...10)
        return (0..<count).map { index in
            let kind = stream.pick([SignalGroupKind.vehicle, .vehicle, .turnArrow, .pedestrian])
            if kind == .pedestrian {
                let walk = stream.int(10...120)
                let timing = SignalGroupTiming(
                    minGreen: walk, maxGreen: walk, passage: 0, clearance: stream.int(10...200), redAmber: 0)
                return SignalGroup(
                    name: "P\(index)", kind: kind, timing: timing,
                    recall: stream.pick([RecallMode.none, .none, .pedestrian, .soft]),
                    memory: stream.pick([CallMemory.locking, .locking, .nonLocking]),
                    flash: stream.pick([FlashIndication.dark, .flashingRed]))
            }
            let minGreen = stream.int(10...150)
            let timing = SignalGroupTiming(
                minGreen: minGreen, maxGreen: minGreen + stream.int(0...600), passage: stream.int(0...60),
                clearance: stream.int(30...50), redAmber: stream.int(0...20))
            return SignalGroup(
                name: (kind == .vehicle ? "V" : "T") + "\(index)", kind: kind, timing: timing,
                recall: stream.pick([RecallMode.none, .none, .none, .minimum, .maximum, .soft]),
                memory: stream.pick([CallMemory.locking, .locking, .nonLocking]),
                flash: stream.pick([FlashIndication.flashingAmber, .flashingAmber, .flashingRed, .dark]))
        }
    }

    /// A dual-ring, two-barrier layout (phases 1–4 in ring 1, 5–8 in ring 2, throughs even and
    /// protected lefts odd), each left dropped now and then (a side then runs one ring only), lead or
    /// lag on each side of each ring, and timings inside the description's ranges. The intergreens
    /// the compiler derives (amber plus red clearance) hold every red+amber, since the red
    /// clearance is never below it.
    private static func makeRingBarrier(_ stream: inout GeneStream) -> Junction {
        let redAmber = stream.chance(30) ? stream.int(5...15) : 0
        var present = Set(1...8)
        for left in [1, 3, 5, 7] where stream.chance(25) { present.remove(left) }
        let phases = present.sorted().map { number -> RingBarrierDescription.Phase in
            let minGreen = stream.int(30...150)
            let timing = SignalGroupTiming(
                minGreen: minGreen, maxGreen: minGreen + stream.int(0...500), passage: stream.int(0...50),
                clearance: stream.int(30...50), redAmber: redAmber)
            return RingBarrierDescription.Phase(
                number: number, kind: number % 2 == 1 ? .turnArrow : .vehicle, timing: timing,
                redClearance: redAmber + stream.int(0...40),
                recall: stream.pick([RecallMode.none, .none, .minimum, .maximum, .soft]),
                memory: stream.pick([CallMemory.locking, .locking, .nonLocking]),
                flash: stream.pick([nil, FlashIndication.flashingRed, .dark]))
        }
        var rings: [[Int]] = []
        for ring in [[1, 2, 3, 4], [5, 6, 7, 8]] {
            var sides = [Array(ring[0..<2]), Array(ring[2..<4])]
            for side in sides.indices where stream.chance(50) { sides[side].reverse() }
            rings.append(sides.joined().filter(present.contains))
        }
        let barriers = [[1, 2, 5, 6], [3, 4, 7, 8]].map { $0.filter(present.contains) }
        let description = RingBarrierDescription(
            name: "ring-barrier", phases: phases, ring1: rings[0], ring2: rings[1], barriers: barriers)
        do {
            return try description.compile()
        } catch {
            preconditionFailure("the generator built an invalid ring-barrier description: \(error)")
        }
    }

    private static func makeMatrices(_ groups: [SignalGroup], _ stream: inout GeneStream) -> ([[Bool]], [[Tenths]]) {
        let count = groups.count
        let density = stream.int(20...90)
        var conflicts = Array(repeating: Array(repeating: false, count: count), count: count)
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) {
                // Crossings rarely conflict with each other; vehicle movements often do.
                let bothWalk = groups[a].kind == .pedestrian && groups[b].kind == .pedestrian
                let conflict = stream.int(0...99) < (bothWalk ? density / 4 : density)
                conflicts[a][b] = conflict
                conflicts[b][a] = conflict
            }
        }
        var intergreen = Array(repeating: Array(repeating: Tenths(0), count: count), count: count)
        for a in 0..<count {
            for b in 0..<count where conflicts[a][b] {
                intergreen[a][b] = groups[a].timing.clearance + groups[b].timing.redAmber + stream.int(0...40)
            }
        }
        return (conflicts, intergreen)
    }

    /// Greedy colouring in a random order, then random overlaps (a group running in two stages).
    private static func makeStages(_ conflicts: [[Bool]], _ stream: inout GeneStream) -> [Stage] {
        var members: [[Int]] = []
        for g in stream.permutation(conflicts.count) {
            let fitting = members.indices.filter { stage in members[stage].allSatisfy { !conflicts[g][$0] } }
            let choice = stream.int(0...fitting.count)
            if choice < fitting.count {
                members[fitting[choice]].append(g)
            } else {
                members.append([g])
            }
        }
        for stage in members.indices {
            for g in conflicts.indices where !members[stage].contains(g) && stream.chance(10) {
                if members[stage].allSatisfy({ !conflicts[g][$0] }) { members[stage].append(g) }
            }
        }
        return members.enumerated().map { Stage(name: "S\($0.offset)", groups: $0.element) }
    }

    private static func makeDetectors(_ junction: inout Junction, _ stream: inout GeneStream) -> [Detector] {
        var detectors: [Detector] = []
        for (g, group) in junction.groups.enumerated() {
            let isPedestrian = group.kind == .pedestrian
            let count = isPedestrian ? stream.int(0...1) : stream.int(0...3)
            var calls = false
            for _ in 0..<count {
                var served = [g]
                let function = isPedestrian
                    ? DetectorFunction.call : stream.pick([DetectorFunction.callAndExtend, .call, .extend])
                // Now and then one loop feeds two vehicle groups (a shared lane).
                if !isPedestrian && stream.chance(10) {
                    let other = stream.int(0...(junction.groups.count - 1))
                    if other != g && junction.groups[other].kind != .pedestrian { served.append(other) }
                }
                calls = calls || function != .extend
                let limits = DetectorDiagnosticLimits(
                    noActivityMinutes: stream.chance(50) ? stream.int(1...20) : 0,
                    maxPresenceMinutes: stream.chance(50) ? stream.int(1...10) : 0,
                    erraticCountsPerMinute: stream.chance(40) ? stream.int(20...120) : 0)
                detectors.append(Detector(
                    name: "D\(detectors.count)", groups: served, function: function,
                    placement: isPedestrian ? .pushButton : stream.pick([DetectorPlacement.stopLine, .advance]),
                    diagnostics: limits,
                    failedAction: stream.pick([FailedDetectorAction.maxRecall, .minRecall])))
            }
            // A group nothing can call would never be served; the field would fit a recall instead.
            if !calls && group.recall == .none {
                junction.groups[g].recall = isPedestrian ? .pedestrian : .minimum
            }
        }
        return detectors
    }

    /// Splits that hold each stage's minimums and the change that follows it, within a 300 s cycle.
    private static func makePlan(_ junction: Junction, _ stream: inout GeneStream) -> FixedTimePlan? {
        let sequence = junction.sequence
        let needed = sequence.indices.map { position -> Tenths in
            let stage = junction.stages[sequence[position]]
            let next = junction.stages[sequence[(position + 1) % sequence.count]]
            return ServiceBound.stageMinimum(in: junction, stage: stage)
                + ServiceBound.transition(in: junction, from: stage.groups, to: next.groups)
        }
        var spare = 3000 - needed.reduce(0, +)
        guard spare >= 0 else { return nil }
        let splits = needed.map { need -> Tenths in
            let extra = min(spare, stream.int(0...300))
            spare -= extra
            return need + extra
        }
        let cycle = splits.reduce(0, +)
        return FixedTimePlan(name: "fixed", cycle: cycle, offset: stream.int(0...(cycle - 1)), splits: splits)
    }
}
