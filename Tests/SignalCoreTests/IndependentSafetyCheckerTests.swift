import SignalCore
import Testing

/// The property tests' own checker on hand-written lamps, for the rules the mutation tests do not
/// reach: aspects of the wrong kind, an unsafe first state, green too soon after flash or flash too
/// soon after a clearance, red+amber
/// where none is configured, and a correct cycle that must pass.
@Suite struct IndependentSafetyCheckerTests {
    private typealias Lamps = [SignalState]

    /// The mutation junction: main and side conflict (7 s both ways), the crossing runs with main.
    private static func check(_ phases: [(Int, Lamps)]) -> IndependentSafetyChecker.Finding? {
        var checker = IndependentSafetyChecker(junction: MutantJunctions.truth)
        var tick: Tenths = 1
        for (count, lamps) in phases {
            for _ in 0..<count {
                if let finding = checker.observe(tick: tick, aspects: lamps) { return finding }
                tick += 1
            }
        }
        return nil
    }

    private static let flash: Lamps = [.flashingAmber, .flashingAmber, .dark]
    private static let allStop: Lamps = [.red, .red, .dontWalk]

    @Test func acceptsACorrectCycle() {
        let finding = Self.check([
            (50, Self.flash), (30, Self.allStop), (15, [.redAmber, .red, .dontWalk]),
            (60, [.green, .red, .walk]), (90, [.green, .red, .flashingDontWalk]), (10, [.green, .red, .dontWalk]),
            (35, [.amber, .red, .dontWalk]), (20, Self.allStop), (15, [.red, .redAmber, .dontWalk]),
            (80, [.red, .green, .dontWalk]), (35, [.red, .amber, .dontWalk]), (20, Self.allStop),
            (15, [.redAmber, .red, .dontWalk]), (10, [.green, .red, .dontWalk]),
        ])
        #expect(finding == nil, "\(String(describing: finding))")
    }

    @Test func aspectOfTheWrongKind() {
        #expect(Self.check([(1, Self.allStop), (1, [.red, .red, .red])])?.rule == .illegalAspect)
        #expect(Self.check([(1, Self.allStop), (1, [.walk, .red, .dontWalk])])?.rule == .illegalAspect)
        #expect(Self.check([(1, [.flashingAmber, .flashingAmber, .flashingAmber])])?.rule == .illegalAspect)
    }

    @Test func unsafeFirstState() {
        #expect(Self.check([(1, [.red, .redAmber, .dontWalk])])?.rule == .unsafeInitialState)
        #expect(Self.check([(1, [.red, .red, .flashingDontWalk])])?.rule == .unsafeInitialState)
    }

    @Test func greenTooSoonAfterFlash() {
        // All-red after flash is 3 s by default; the crossing starts walking after 2 s.
        let finding = Self.check([(50, Self.flash), (20, Self.allStop), (1, [.red, .red, .walk])])
        #expect(finding?.rule == .allRedAfterFlash)
    }

    @Test func flashTooSoonAfterTheLastClearance() {
        // All-red is 3 s: red for 29 ticks after the amber is one tick short, 30 is enough.
        let before: [(Int, Lamps)] = [
            (30, Self.allStop), (15, [.redAmber, .red, .dontWalk]), (80, [.green, .red, .dontWalk]),
            (35, [.amber, .red, .dontWalk]),
        ]
        #expect(Self.check(before + [(29, Self.allStop), (1, Self.flash)])?.rule == .allRedBeforeFlash)
        #expect(Self.check(before + [(30, Self.allStop), (1, Self.flash)]) == nil)
    }

    @Test func flashEnteredFromAnOpenLamp() {
        let finding = Self.check([
            (30, Self.allStop), (15, [.redAmber, .red, .dontWalk]), (80, [.green, .red, .dontWalk]), (1, Self.flash),
        ])
        #expect(finding?.rule == .illegalTransition)
    }

    @Test func redAmberWhereNoneIsConfigured() {
        var junction = MutantJunctions.truth
        junction.groups[0].timing.redAmber = 0
        var checker = IndependentSafetyChecker(junction: junction)
        #expect(checker.observe(tick: 1, aspects: Self.allStop) == nil)
        #expect(checker.observe(tick: 2, aspects: [.redAmber, .red, .dontWalk])?.rule == .redAmber)
    }

    @Test func redAmberCutShort() {
        let finding = Self.check([
            (30, Self.allStop), (10, [.redAmber, .red, .dontWalk]), (1, [.green, .red, .dontWalk]),
        ])
        #expect(finding?.rule == .redAmber)
    }
}
