import SignalCore
import Testing

/// The validator on junctions built in code, including shapes no junction file can produce.
@Suite struct JunctionValidatorTests {
    static func vehicle(_ name: String, amber: Tenths = 30) -> SignalGroup {
        SignalGroup(
            name: name, kind: .vehicle,
            timing: SignalGroupTiming(minGreen: 70, maxGreen: 300, passage: 25, clearance: amber, redAmber: 15))
    }

    /// Two conflicting groups, one stage each.
    static func pair(amber: Tenths = 30) -> Junction {
        Junction(
            name: "pair", groups: [vehicle("A", amber: amber), vehicle("B")],
            conflicts: [[false, true], [true, false]], intergreen: [[0, 50], [50, 0]],
            stages: [Stage(name: "S1", groups: [0]), Stage(name: "S2", groups: [1])])
    }

    func kinds(_ junction: Junction, floor: Tenths = JunctionValidator.defaultAmberFloor) -> [JunctionProblem.Kind] {
        JunctionValidator(amberFloor: floor).problems(in: junction).map(\.kind)
    }

    @Test func validPairHasNoProblems() {
        #expect(kinds(Self.pair()).isEmpty)
    }

    @Test func aNegativeIntergreenSaysWhatItIsAndTheLeastAllowed() {
        var junction = Self.pair()
        junction.intergreen[0][1] = -5
        junction.intergreen[1][0] = 0
        let problems = JunctionValidator(amberFloor: JunctionValidator.defaultAmberFloor).problems(in: junction)
        let negative = problems.first { $0.field == "intergreen.A.B" }
        #expect(negative?.kind == .intergreenTooShort)
        #expect(
            negative?.message == "intergreen A→B is -0.5 s; conflicting groups need a positive intergreen of "
                + "at least 4.5 s: A's clearance 3.0 s plus B's red+amber 1.5 s")
        // 0 is the matrix's "none": still "not set", now with what it must be.
        let absent = problems.first { $0.field == "intergreen.B.A" }
        #expect(absent?.kind == .missingIntergreen)
        #expect(absent?.message == "groups B and A conflict but intergreen B→A is not set; it must be at least 4.5 s: "
            + "B's clearance 3.0 s plus A's red+amber 1.5 s")
    }

    @Test func raggedMatrixIsReportedNotTrapped() {
        var junction = Self.pair()
        junction.conflicts = [[false, true], [true]]
        junction.intergreen = [[0, 50]]
        let found = kinds(junction)
        #expect(found.filter { $0 == .matrixShape }.count == 2)
    }

    @Test func emptyJunctionReportsWhatIsMissing() {
        let junction = Junction(name: "", groups: [], conflicts: [], intergreen: [], stages: [])
        let found = kinds(junction)
        #expect(found.contains(.noGroups))
        #expect(found.contains(.noStages))
        #expect(found.contains(.emptySequence))
    }

    @Test func indicesOutOfRangeAreReported() {
        var junction = Self.pair()
        junction.stages.append(Stage(name: "S3", groups: [7]))
        junction.sequence = [0, 1, 5]
        junction.detectors = [Detector(name: "D", groups: [-1])]
        let found = kinds(junction)
        #expect(found.contains(.stageUnknownGroup))
        #expect(found.contains(.sequenceUnknownStage))
        #expect(found.contains(.detectorUnknownGroup))
    }

    @Test func floorIsNeverBelowTwoPointSeven() {
        #expect(JunctionValidator(amberFloor: 20).amberFloor == 27)
        #expect(kinds(Self.pair(amber: 26), floor: 20) == [.amberBelowFloor])
        #expect(kinds(Self.pair(amber: 27), floor: 20).isEmpty)
        #expect(kinds(Self.pair(amber: 29)) == [.amberBelowFloor])
    }

    @Test func stageFollowingItselfIsReported() {
        var junction = Self.pair()
        junction.sequence = [0, 1, 1]
        let problem = JunctionValidator().problems(in: junction).first { $0.kind == .sequenceRepeatsStage }
        #expect(problem?.field == "junction.sequence[1]")
    }

    @Test func startupAllRedShorterThanTheLargestIntergreenIsAllowed() {
        var junction = Self.pair()
        junction.startup = StartupTiming(flashTime: 50, allRedTime: 20)
        #expect(kinds(junction).isEmpty)
        junction.startup = StartupTiming(flashTime: 50, allRedTime: 10)
        #expect(kinds(junction) == [.startupAllRedOutOfRange])
    }

    @Test func interstageIsTheLargestIntergreenOrRedAmber() {
        var junction = Self.pair()
        junction.intergreen[0][1] = 62
        #expect(JunctionValidator.interstage(in: junction, from: 0, to: 1) == 62)
        #expect(JunctionValidator.interstage(in: junction, from: 1, to: 0) == 50)
        #expect(JunctionValidator.interstage(in: junction, from: 0, to: 9) == 0)
    }

    @Test func pedestrianNeedsAClearance() {
        var junction = Self.pair()
        junction.groups[1] = SignalGroup(
            name: "B", kind: .pedestrian,
            timing: SignalGroupTiming(minGreen: 60, maxGreen: 60, passage: 0, clearance: 0, redAmber: 0))
        let problem = JunctionValidator().problems(in: junction).first { $0.kind == .timingOutOfRange }
        #expect(problem?.field == "groups.B.clearance")
    }

    @Test func planCycleMustBePositive() {
        var junction = Self.pair()
        junction.plans = [FixedTimePlan(name: "zero", cycle: 0, offset: 0, splits: [0, 0])]
        #expect(kinds(junction) == [.planCycleOutOfRange])
    }
}
