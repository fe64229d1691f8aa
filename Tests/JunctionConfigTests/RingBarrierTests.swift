import Foundation
import JunctionConfig
import SignalCore
import Testing

/// NEMA ring-barrier compilation, including one test per known failure of SUMO's NEMA controller
/// that lies in the description: crossing a barrier into a conflict (#9940), sticking at a barrier
/// when the rings' ambers differ (#12989), invalid phases (#10704) and a phase that can never be
/// served (#14502).
@Suite struct RingBarrierTests {
    typealias Description = RingBarrierDescription

    static func phase(_ number: Int, max: Tenths = 300, amber: Tenths = 30, red: Tenths = 20) -> Description.Phase {
        Description.Phase(
            number: number,
            timing: SignalGroupTiming(minGreen: 50, maxGreen: max, passage: 20, clearance: amber, redAmber: 10),
            redClearance: red)
    }

    static let standard = Description(
        name: "standard", phases: (1...8).map { phase($0) }, ring1: [1, 2, 3, 4], ring2: [5, 6, 7, 8],
        barriers: [[1, 2, 5, 6], [3, 4, 7, 8]])

    /// Lead/lag orders on both sides of both rings, with short and long max greens on the
    /// phases that lead: 256 layouts.
    static var sweep: [Description] {
        var layouts: [Description] = []
        for orderBits in 0..<16 {
            for timingBits in 0..<16 {
                func order(_ pair: [Int], _ bit: Int) -> [Int] { orderBits & (1 << bit) == 0 ? pair : pair.reversed() }
                let maxima = (1...8).map { number -> Tenths in
                    number % 2 == 1 && timingBits & (1 << (number / 2)) != 0 ? 120 : 300
                }
                let phases = (1...8).map { phase($0, max: maxima[$0 - 1], amber: $0 == 8 ? 45 : 30) }
                layouts.append(
                    Description(
                        name: "sweep", phases: phases,
                        ring1: order([1, 2], 0) + order([3, 4], 1), ring2: order([5, 6], 2) + order([7, 8], 3),
                        barriers: [[1, 2, 5, 6], [3, 4, 7, 8]]))
            }
        }
        return layouts
    }

    @Test func conflictsFollowRingsAndBarriers() throws {
        let junction = try Self.standard.compile()
        #expect(junction.groups.map(\.name) == (1...8).map { "P\($0)" })
        func conflict(_ a: Int, _ b: Int) -> Bool { junction.conflicts[a - 1][b - 1] }
        #expect(conflict(1, 2) && conflict(5, 6) && conflict(1, 4), "same ring")
        #expect(conflict(1, 7) && conflict(2, 8) && conflict(6, 3), "different rings across the barrier")
        #expect(!conflict(1, 5) && !conflict(1, 6) && !conflict(2, 5) && !conflict(4, 7), "same side, different rings")
        #expect(junction.intergreen[3][0] == 30 + 20, "amber + red clearance of the leaving phase")
        #expect(junction.intergreen[0][4] == 0)
        #expect(JunctionValidator().problems(in: junction).isEmpty)
    }

    @Test func compiledStagesNeverHoldConflictingPhases() throws {
        for description in Self.sweep + [Self.standard] {
            let junction = try description.compile()
            #expect(JunctionValidator().problems(in: junction).isEmpty)
            for stage in junction.stages {
                for a in stage.groups {
                    for b in stage.groups where a != b {
                        #expect(!junction.conflicts[a][b], "\(stage.name) in \(description.ring1) \(description.ring2)")
                    }
                }
            }
        }
    }

    @Test func stagesAreEveryCompatiblePairOnEachSide() throws {
        let junction = try Self.standard.compile()
        #expect(
            junction.stages.map(\.name) == ["P1+P5", "P1+P6", "P2+P5", "P2+P6", "P3+P7", "P3+P8", "P4+P7", "P4+P8"])
    }

    /// SUMO #9940: the sequence never crosses a barrier into a conflict, and both rings cross together.
    @Test func sequenceAdvancesRingsInOrderAndCrossesBarriersTogether() throws {
        for description in Self.sweep {
            let junction = try description.compile()
            let numbers = (description.ring1 + description.ring2).sorted()
            let side = Dictionary(
                uniqueKeysWithValues: description.barriers.enumerated().flatMap { index, barrier in
                    barrier.map { ($0, index) }
                })
            let stages = junction.sequence.map { junction.stages[$0].groups.map { numbers[$0] } }
            for stage in stages {
                #expect(Set(stage.map { side[$0]! }).count == 1, "a stage lies on one side of the barrier")
            }
            let served = Set(stages.flatMap { $0 })
            #expect(served == Set(numbers), "every phase is served by the sequence")
            for (position, from) in stages.enumerated() {
                let to = stages[(position + 1) % stages.count]
                let crossing = side[from[0]] != side[to[0]]
                for ring in [description.ring1, description.ring2] {
                    let before = from.first { ring.contains($0) }!
                    let after = to.first { ring.contains($0) }!
                    if before != after {
                        #expect(
                            ring.firstIndex(of: after) == (ring.firstIndex(of: before)! + 1) % ring.count,
                            "each ring moves to its next phase, never back or past one")
                    }
                    if crossing {
                        #expect(before != after, "both rings cross the barrier in the same transition")
                    }
                }
            }
        }
    }

    /// SUMO #12989: the rings' last phases before the barrier have different ambers; the barrier
    /// crossing is still one transition, whose interstage covers the longer clearance.
    @Test func differentRingAmbersDoNotStickAtTheBarrier() throws {
        var description = Self.standard
        description.phases[3] = Self.phase(4, amber: 35, red: 15)
        description.phases[7] = Self.phase(8, amber: 45, red: 20)
        let junction = try description.compile()
        let names = junction.sequence.map { junction.stages[$0].name }
        let last = try #require(names.firstIndex(of: "P4+P8"))
        #expect(names[(last + 1) % names.count] == "P1+P5")
        let from = junction.sequence[last]
        let to = junction.sequence[(last + 1) % names.count]
        #expect(JunctionValidator.interstage(in: junction, from: from, to: to) == 45 + 20)
        #expect(junction.intergreen[3][0] == 35 + 15)
        #expect(junction.intergreen[7][4] == 45 + 20)
    }

    @Test func sequenceFollowsTheDiagramAtMaxGreen() throws {
        var description = Self.standard
        description.phases[0] = Self.phase(1, max: 150)
        let junction = try description.compile()
        #expect(junction.sequence.map { junction.stages[$0].name } == ["P1+P5", "P2+P5", "P2+P6", "P3+P7", "P4+P8"])
    }

    @Test func aSideServedByOneRingOnly() throws {
        let description = Description(
            name: "tee", phases: [1, 2, 4, 5, 6].map { Self.phase($0) }, ring1: [1, 2, 4], ring2: [5, 6],
            barriers: [[1, 2, 5, 6], [4]])
        let junction = try description.compile()
        #expect(junction.sequence.map { junction.stages[$0].name }.last == "P4")
        #expect(JunctionValidator().problems(in: junction).isEmpty)
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        var label: String
        var description: RingBarrierDescription
        var error: RingBarrierError
        var testDescription: String { label }
    }

    static var broken: [Broken] {
        func edit(_ change: (inout Description) -> Void) -> Description {
            var description = standard
            change(&description)
            return description
        }
        return [
            Broken(
                label: "phase 9 in a ring", description: edit { $0.ring1 = [1, 2, 3, 9] },
                error: .invalidPhase(9, in: .ring(1))),
            Broken(
                label: "phase 0 timing", description: edit { $0.phases.append(phase(0)) },
                error: .invalidPhase(0, in: .phases)),
            Broken(
                label: "phase 12 in a barrier", description: edit { $0.barriers[1].append(12) },
                error: .invalidPhase(12, in: .barrier(2))),
            Broken(
                label: "phase that can never be served", description: edit { $0.ring2 = [5, 6, 7] },
                error: .phaseNeverServed(8)),
            Broken(
                label: "phase in both rings", description: edit { $0.ring2 = [5, 6, 7, 8, 4] },
                error: .phaseInBothRings(4)),
            Broken(
                label: "phase repeated in a ring", description: edit { $0.ring1 = [1, 2, 2, 3, 4] },
                error: .repeatedInRing(2, ring: 1)),
            Broken(
                label: "ring phase without timing", description: edit { $0.phases.removeLast() },
                error: .missingTiming(8)),
            Broken(
                label: "two timings for a phase", description: edit { $0.phases.append(phase(3)) },
                error: .duplicatePhase(3)),
            Broken(
                label: "phase in no barrier", description: edit { $0.barriers[1] = [3, 4, 7] },
                error: .phaseInNoBarrier(8)),
            Broken(
                label: "phase in two barriers", description: edit { $0.barriers[1].append(2) },
                error: .phaseInSeveralBarriers(2)),
            Broken(
                label: "barrier splitting a ring", description: edit { $0.ring1 = [1, 3, 2, 4] },
                error: .barrierSplitsRing(ring: 1, phase: 2)),
            Broken(
                label: "empty barrier group", description: edit { $0.barriers.append([]) },
                error: .emptyBarrier(3)),
            Broken(
                label: "no phases",
                description: edit {
                    $0.ring1 = []
                    $0.ring2 = []
                }, error: .noPhases),
            Broken(
                label: "negative red clearance", description: edit { $0.phases[2] = phase(3, red: -5) },
                error: .redClearanceOutOfRange(3)),
        ]
    }

    @Test(arguments: broken)
    func invalidDescriptionIsATypedErrorNotACrash(_ broken: Broken) {
        #expect(broken.description.problems().contains(broken.error), "\(broken.description.problems())")
        #expect(throws: RingBarrierError.self) { try broken.description.compile() }
    }

    // MARK: - Through the loader

    static let nemaSource = UnknownKeyTests.nemaSource

    @Test func loaderSaysWhichPhaseCanNeverBeServed() {
        let source = Self.nemaSource.replacingOccurrences(of: "ring2 = [5, 6, 7, 8]", with: "ring2 = [5, 6, 7]")
        let problem = ConfigFixture.problems(source).first { $0.kind == .ringBarrier(.phaseNeverServed(8)) }
        #expect(problem?.field == "nema.phases.P8.number")
        #expect(problem?.message.contains("can never be served") == true)
        #expect(problem?.line == ConfigFixture.line(containing: "number = 8", in: source))
    }

    @Test func loaderRejectsAnInvalidPhaseNumber() {
        let source = Self.nemaSource.replacingOccurrences(of: "ring1 = [1, 2, 3, 4]", with: "ring1 = [1, 2, 3, 4, 9]")
        let problem = ConfigFixture.problems(source).first { $0.kind == .ringBarrier(.invalidPhase(9, in: .ring(1))) }
        #expect(problem?.field == "nema.ring1")
        #expect(problem?.message.contains("invalid phase 9") == true)
        #expect(problem?.line == ConfigFixture.line(containing: "ring1 =", in: source))
    }

    @Test func validatorProblemsOfCompiledGroupsPointAtTheirPhase() {
        let source = Self.nemaSource.replacingOccurrences(of: "amber = 4.0", with: "amber = 2.0")
        let problem = ConfigFixture.problems(source).first { $0.kind == .junction(.amberBelowFloor) }
        #expect(problem?.field == "nema.phases.P8.amber")
        #expect(problem?.line == ConfigFixture.line(containing: "amber = 2.0", in: source))
    }

    /// The compiled intergreen is the leaving phase's amber plus its red clearance: a red clearance
    /// too short was reported at `intergreen.P8.…`, a table the file does not have, with no line.
    @Test func aCompiledIntergreenTooShortPointsAtTheRedClearance() {
        let source = Self.nemaSource.replacingOccurrences(
            of: "amber = 4.0\nred_clearance = 2.0", with: "amber = 4.0\nred_clearance = 0.0")
        let problems = ConfigFixture.problems(source).filter { $0.kind == .junction(.intergreenTooShort) }
        #expect(!problems.isEmpty)
        #expect(problems.allSatisfy { $0.field == "nema.phases.P8.red_clearance" }, "\(problems)")
        #expect(problems.allSatisfy { $0.line == ConfigFixture.line(containing: "red_clearance = 0.0", in: source) })
    }

    @Test func nemaCannotBeMixedWithASequence() {
        let source = Self.nemaSource.replacingOccurrences(
            of: "name = \"NEMA eight-phase example\"", with: "name = \"x\"\nsequence = [\"P1+P5\"]")
        #expect(ConfigFixture.problems(source).contains { $0.kind == .layout && $0.field == "junction.sequence" })
    }
}
