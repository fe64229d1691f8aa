/// A NEMA dual-ring, eight-phase ring-barrier description, compiled into the signal-group model.
///
/// Each ring times one phase at a time, in its listed order; barrier groups split the phases into
/// sides, and both rings cross a barrier together. `compile()` turns the description into a
/// `Junction` whose conflict and intergreen matrices encode those rules, so the one controller and
/// the one safety monitor serve NEMA junctions too, and a transition that crosses a barrier into a
/// conflict simply has no stage to go to.
public struct RingBarrierDescription: Sendable, Equatable {
    /// The NEMA phase numbers a description may use.
    public static let phaseNumbers: ClosedRange<Int> = 1...8
    /// Red clearance a phase may have: 0–6 s, the ITE range.
    public static let redClearanceRange: ClosedRange<Tenths> = 0...60

    /// One phase: a signal group with its NEMA number and its red clearance.
    public struct Phase: Sendable, Equatable {
        /// 1–8.
        public var number: Int
        /// The compiled group's name.
        public var name: String
        /// The compiled group's kind; protected turns are `turnArrow`.
        public var kind: SignalGroupKind
        /// Min and max green, passage, amber and red+amber, in tenths, as for a signal group.
        public var timing: SignalGroupTiming
        /// All-red after this phase's clearance, in tenths; the intergreen to every conflicting phase
        /// is `timing.clearance + redClearance`.
        public var redClearance: Tenths
        /// The compiled group's recall mode.
        public var recall: RecallMode
        /// The compiled group's call memory.
        public var memory: CallMemory
        /// What the group shows in flash; nil for the default of its kind.
        public var flash: FlashIndication?

        /// A phase; `name` defaults to `P<number>`. Nothing is checked here: see `problems()`.
        public init(
            number: Int,
            name: String? = nil,
            kind: SignalGroupKind = .vehicle,
            timing: SignalGroupTiming,
            redClearance: Tenths,
            recall: RecallMode = .none,
            memory: CallMemory = .locking,
            flash: FlashIndication? = nil
        ) {
            self.number = number
            self.name = name ?? "P\(number)"
            self.kind = kind
            self.timing = timing
            self.redClearance = redClearance
            self.recall = recall
            self.memory = memory
            self.flash = flash
        }

        /// The longest time this phase holds its ring: max green (or walk), clearance and red clearance.
        var longestService: Tenths { max(timing.maxGreen, timing.minGreen) + timing.clearance + redClearance }
    }

    /// The compiled junction's name.
    public var name: String
    /// Timings of every phase used; phase numbers must be unique.
    public var phases: [Phase]
    /// Ring 1's phase numbers in service order.
    public var ring1: [Int]
    /// Ring 2's phase numbers in service order; may be empty for a single-ring junction.
    public var ring2: [Int]
    /// Barrier groups in service order, each the phase numbers on that side, such as
    /// `[[1, 2, 5, 6], [3, 4, 7, 8]]`. Every ring lists its phases side by side in this order.
    public var barriers: [[Int]]

    /// A description as given; nothing is checked until `problems()` or `compile()`.
    public init(name: String, phases: [Phase], ring1: [Int], ring2: [Int], barriers: [[Int]]) {
        self.name = name
        self.phases = phases
        self.ring1 = ring1
        self.ring2 = ring2
        self.barriers = barriers
    }

    /// Every reason the description cannot be compiled; empty when `compile()` will succeed.
    public func problems() -> [RingBarrierError] {
        var found: [RingBarrierError] = []
        let rings = [ring1, ring2]
        if ring1.isEmpty && ring2.isEmpty {
            found.append(.noPhases)
        }
        var timed = Set<Int>()
        for phase in phases {
            if !Self.phaseNumbers.contains(phase.number) {
                found.append(.invalidPhase(phase.number, in: .phases))
            } else if !timed.insert(phase.number).inserted {
                found.append(.duplicatePhase(phase.number))
            }
        }
        var ringOf: [Int: Int] = [:]
        for (ringIndex, ring) in rings.enumerated() {
            let ringNumber = ringIndex + 1
            var seen = Set<Int>()
            for number in ring {
                guard Self.phaseNumbers.contains(number) else {
                    found.append(.invalidPhase(number, in: .ring(ringNumber)))
                    continue
                }
                if !seen.insert(number).inserted {
                    found.append(.repeatedInRing(number, ring: ringNumber))
                } else if ringOf[number] != nil {
                    found.append(.phaseInBothRings(number))
                } else {
                    ringOf[number] = ringNumber
                }
            }
        }
        for number in ringOf.keys.sorted() where !timed.contains(number) {
            found.append(.missingTiming(number))
        }
        for phase in phases where !Self.redClearanceRange.contains(phase.redClearance) {
            found.append(.redClearanceOutOfRange(phase.number))
        }
        var sideOf: [Int: Int] = [:]
        for (side, barrier) in barriers.enumerated() {
            if barrier.isEmpty {
                found.append(.emptyBarrier(side + 1))
            }
            for number in barrier {
                if !Self.phaseNumbers.contains(number) {
                    found.append(.invalidPhase(number, in: .barrier(side + 1)))
                } else if sideOf[number] != nil {
                    found.append(.phaseInSeveralBarriers(number))
                } else {
                    sideOf[number] = side
                }
            }
        }
        let mentioned = timed.union(sideOf.keys)
        for number in mentioned.sorted() where ringOf[number] == nil {
            found.append(.phaseNeverServed(number))
        }
        for number in ringOf.keys.sorted() where sideOf[number] == nil {
            found.append(.phaseInNoBarrier(number))
        }
        for (ringIndex, ring) in rings.enumerated() {
            if let phase = firstPhaseBreakingBarrierOrder(ring, sideOf: sideOf) {
                found.append(.barrierSplitsRing(ring: ringIndex + 1, phase: phase))
            }
        }
        return found
    }

    /// The junction this description stands for, or the first problem `problems()` reports.
    ///
    /// Groups are the ring phases in phase-number order. Phases in one ring conflict; phases of
    /// different rings conflict when they are on different sides of a barrier. The stages are
    /// every ring-1/ring-2 pair on each side. The sequence follows the dual-ring diagram drawn at
    /// max green: on each side both rings start together, the ring whose phase would end first
    /// moves on first, and the last stage of a side holds both rings' last phases, so both rings
    /// leave the side, and cross the barrier, in the same transition.
    public func compile() throws(RingBarrierError) -> Junction {
        if let first = problems().first {
            throw first
        }
        let timing = Dictionary(phases.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let numbers = (ring1 + ring2).sorted()
        let index = Dictionary(uniqueKeysWithValues: numbers.enumerated().map { ($1, $0) })
        let ringOf = Dictionary(uniqueKeysWithValues: ring1.map { ($0, 1) } + ring2.map { ($0, 2) })
        let sideOf = Dictionary(
            uniqueKeysWithValues: barriers.enumerated().flatMap { side, barrier in
                barrier.map { ($0, side) }
            })
        let groups = numbers.map { number -> SignalGroup in
            let phase = timing[number]!
            return SignalGroup(
                name: phase.name, kind: phase.kind, timing: phase.timing, recall: phase.recall,
                memory: phase.memory, flash: phase.flash)
        }
        var conflicts = Array(repeating: Array(repeating: false, count: numbers.count), count: numbers.count)
        var intergreen = Array(repeating: Array(repeating: Tenths(0), count: numbers.count), count: numbers.count)
        for a in numbers {
            for b in numbers where a != b && (ringOf[a] == ringOf[b] || sideOf[a] != sideOf[b]) {
                let leaving = timing[a]!
                conflicts[index[a]!][index[b]!] = true
                intergreen[index[a]!][index[b]!] = leaving.timing.clearance + leaving.redClearance
            }
        }
        var stages: [Stage] = []
        var sequence: [Int] = []
        for side in barriers.indices {
            let first = ring1.filter { sideOf[$0] == side }
            let second = ring2.filter { sideOf[$0] == side }
            let pairs = Self.pairs(first, second)
            let base = stages.count
            for pair in pairs {
                stages.append(
                    Stage(name: pair.map { timing[$0]!.name }.joined(separator: "+"), groups: pair.map { index[$0]! }))
            }
            for path in diagramOrder(first, second, timing: timing) {
                sequence.append(base + pairs.firstIndex(of: path)!)
            }
        }
        return Junction(
            name: name, groups: groups, conflicts: conflicts, intergreen: intergreen, stages: stages,
            sequence: sequence)
    }

    /// The first phase of `ring` that returns to a barrier side after leaving it, or that is served
    /// on a side listed earlier than the one before it: the ring would cross a barrier on its own.
    private func firstPhaseBreakingBarrierOrder(_ ring: [Int], sideOf: [Int: Int]) -> Int? {
        var current = -1
        for number in ring {
            guard let side = sideOf[number] else { continue }
            if side < current { return number }
            current = side
        }
        return nil
    }

    /// Every ring-1/ring-2 combination on one side, or the lone ring's phases when one ring is empty there.
    private static func pairs(_ first: [Int], _ second: [Int]) -> [[Int]] {
        if first.isEmpty { return second.map { [$0] } }
        if second.isEmpty { return first.map { [$0] } }
        return first.flatMap { a in second.map { b in [a, b] } }
    }

    /// The stages one side passes through when both rings run every phase to max green.
    private func diagramOrder(_ first: [Int], _ second: [Int], timing: [Int: Phase]) -> [[Int]] {
        if first.isEmpty || second.isEmpty { return Self.pairs(first, second) }
        var i = 0
        var j = 0
        var end1 = timing[first[0]]!.longestService
        var end2 = timing[second[0]]!.longestService
        var path = [[first[0], second[0]]]
        while i < first.count - 1 || j < second.count - 1 {
            // A ring on its last phase waits at the barrier for the other; otherwise the phase
            // that ends first hands over first, and both hand over together on a tie.
            let advance1 = j == second.count - 1 || (i < first.count - 1 && end1 <= end2)
            let advance2 = i == first.count - 1 || (j < second.count - 1 && end2 <= end1)
            if advance1 {
                i += 1
                end1 += timing[first[i]]!.longestService
            }
            if advance2 {
                j += 1
                end2 += timing[second[j]]!.longestService
            }
            path.append([first[i], second[j]])
        }
        return path
    }
}

/// Why a ring-barrier description cannot be compiled. Every case names the phase, ring or barrier
/// group at fault; none of them is a crash.
public enum RingBarrierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where a phase number was written.
    public enum Place: Sendable, Equatable {
        case phases
        /// Ring 1 or 2.
        case ring(Int)
        /// A barrier group, 1-based.
        case barrier(Int)
    }

    /// Neither ring lists a phase.
    case noPhases
    /// A phase number outside 1–8.
    case invalidPhase(Int, in: Place)
    /// Two timings for one phase.
    case duplicatePhase(Int)
    /// A ring lists the same phase twice.
    case repeatedInRing(Int, ring: Int)
    /// Both rings list the phase.
    case phaseInBothRings(Int)
    /// A ring lists a phase that has no timing.
    case missingTiming(Int)
    /// A phase has timing or a barrier but is in no ring, so it would never be served.
    case phaseNeverServed(Int)
    /// A phase's red clearance is outside `RingBarrierDescription.redClearanceRange`.
    case redClearanceOutOfRange(Int)
    /// A ring lists a phase that is in no barrier group.
    case phaseInNoBarrier(Int)
    /// A phase is in more than one barrier group.
    case phaseInSeveralBarriers(Int)
    /// A barrier group, 1-based, with no phases.
    case emptyBarrier(Int)
    /// The ring leaves a barrier side and later comes back to it, or runs the sides out of the
    /// barrier groups' order, starting at this phase.
    case barrierSplitsRing(ring: Int, phase: Int)

    /// A sentence for a technician naming the phase, ring or barrier group.
    public var description: String {
        switch self {
        case .noPhases:
            return "neither ring lists a phase"
        case .invalidPhase(let number, let place):
            let where_: String
            switch place {
            case .phases: where_ = "the phase timings"
            case .ring(let ring): where_ = "ring \(ring)"
            case .barrier(let barrier): where_ = "barrier group \(barrier)"
            }
            return "invalid phase \(number) in \(where_): NEMA phases are numbered 1–8"
        case .duplicatePhase(let number):
            return "phase \(number) has two timings"
        case .repeatedInRing(let number, let ring):
            return "ring \(ring) lists phase \(number) twice"
        case .phaseInBothRings(let number):
            return "phase \(number) is in both rings"
        case .missingTiming(let number):
            return "phase \(number) is in a ring but has no timing"
        case .phaseNeverServed(let number):
            return "phase \(number) can never be served: it is in no ring"
        case .redClearanceOutOfRange(let number):
            return "phase \(number) red clearance is outside 0.0–6.0 s"
        case .phaseInNoBarrier(let number):
            return "phase \(number) is in no barrier group"
        case .phaseInSeveralBarriers(let number):
            return "phase \(number) is in more than one barrier group"
        case .emptyBarrier(let barrier):
            return "barrier group \(barrier) has no phases"
        case .barrierSplitsRing(let ring, let phase):
            return "ring \(ring) crosses a barrier on its own at phase \(phase): "
                + "list each ring's phases barrier group by barrier group, in the barrier groups' order"
        }
    }
}
