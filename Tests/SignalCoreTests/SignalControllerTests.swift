import SignalCore
import Testing

@Suite struct SignalControllerTests {
    @Test func startsInFlashThenAllRedThenFirstStage() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        harness.run(1)
        #expect(harness.controller.signals == [.flashingAmber, .flashingAmber, .dark])
        #expect(harness.controller.status.mode == .startupFlash)
        harness.run(50)
        #expect(harness.controller.status.mode == .allRed)
        #expect(harness.controller.signals == [.red, .red, .dontWalk])
        #expect(harness.run(200) == nil)
        #expect(harness.controller.status.mode == .normal)
        #expect(harness.controller.signals[0] == .green)
        #expect(harness.controller.signals[1] == .red)
    }

    @Test func redAmberComesOnlyRightBeforeGreen() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        let violation = harness.run(6000) { tick, snapshot in
            snapshot.presence[1] = tick % 400 < 20
            snapshot.actuations[1] = tick % 400 == 0 ? 1 : 0
        }
        #expect(violation == nil)
        var sawRedAmber = false
        for index in 1..<harness.history.count {
            for g in 0..<2 where harness.history[index - 1][g] == .redAmber {
                sawRedAmber = true
                #expect([.redAmber, .green].contains(harness.history[index][g]))
            }
        }
        #expect(sawRedAmber)
    }

    @Test func restsInGreenWithoutConflictingDemand() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        #expect(harness.run(3000) == nil)
        #expect(harness.controller.signals[0] == .green)
    }

    @Test func sideCallIsServedAndGapsOut() {
        var harness = ControllerHarness(TestJunctions.crossroads)
        harness.run(200)
        #expect(harness.run(1) { _, snapshot in snapshot.actuations[1] = 1 } == nil)
        #expect(harness.run(300) == nil)
        #expect(harness.controller.signals[1] == .green, "rests in the side road's green: nothing else calls")
        #expect(harness.run(1) { _, snapshot in snapshot.actuations[0] = 1 } == nil)
        #expect(harness.run(300) == nil)
        let codes = harness.events.map(\.code)
        #expect(codes.contains(.phaseCallRegistered))
        let sideGreens = harness.events.filter { $0.code == .phaseBeginGreen && $0.parameter == 2 }
        #expect(sideGreens.count == 1)
        #expect(harness.events.contains { $0.code == .phaseGapOut && $0.parameter == 2 })
    }
}
