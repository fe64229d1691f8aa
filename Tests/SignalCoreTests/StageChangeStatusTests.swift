import SignalCore
import Testing

/// A stage change's status names the stage it leaves and counts the intergreen down to the green.
@Suite struct StageChangeStatusTests {
    @Test func aStageChangeNamesTheStageItLeavesAndCountsTheIntergreenDown() throws {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        var harness = ControllerHarness(junction)
        var statuses: [(tick: Tenths, status: ControllerStatus)] = []
        for _ in 0..<1500 {
            #expect(harness.run(1) == nil)
            statuses.append((harness.tick, harness.controller.status))
        }
        // The first change from main (stage 0) to side (stage 1), up to the side road's green.
        let sideGreen = try #require(harness.events.first { $0.code == .phaseBeginGreen && $0.parameter == 2 }).tick
        let change = statuses.filter { $0.status.inTransition && $0.status.stage == 1 && $0.tick < sideGreen }
        try #require(!change.isEmpty)
        for (_, status) in change {
            #expect(status.leavingStage == 0)
        }
        let remaining = change.map(\.status.intergreenRemaining)
        #expect(remaining[0] > 0 && remaining.max()! <= 50, "\(remaining)")
        for (earlier, later) in zip(remaining, remaining.dropFirst()) where earlier > 0 && later > 0 {
            #expect(later == earlier - 1 || later > earlier, "counts down a tick at a time (or a later green end raises it)")
        }
        #expect(remaining.last! <= 1, "the green follows once the intergreen has run: \(remaining)")
        for (tick, status) in statuses where !status.inTransition {
            #expect(status.leavingStage == nil && status.intergreenRemaining == 0, "at \(tick)")
        }
    }
}
