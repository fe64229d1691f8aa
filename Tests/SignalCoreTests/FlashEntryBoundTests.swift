import SignalCore
import Testing

/// `Junction.longestFlashEntry`, the bound the daemon's stop waits on. The technician-request safety
/// property holds every random flash request to it (some asked at the start of a stage change, the
/// moment that takes longest); these tests show its terms and the path that needs them.
@Suite struct FlashEntryBoundTests {
    /// The crossroads with intergreens of exactly the leaving clearance plus the entering red+amber,
    /// so that no all-red lets a stage change be given up for flash on the way: main ↔ side 4.5 s,
    /// side → crossing 3.0 s, crossing → side 11.5 s.
    static var tightCrossroads: Junction {
        var junction = TestJunctions.crossroads
        junction.groups[1].recall = .minimum
        junction.intergreen[0][1] = 45
        junction.intergreen[1][0] = 45
        junction.intergreen[1][2] = 30
        junction.intergreen[2][1] = 115
        return junction
    }

    @Test func theBoundAddsTheLongestOfEachStep() {
        let junction = Self.tightCrossroads
        #expect(JunctionValidator().problems(in: junction).isEmpty)
        // The longest intergreen, the crossing's walk and clearance, the amber, the all-red, a tick.
        #expect(junction.longestFlashEntry == 115 + 170 + 30 + 30 + 1)
    }

    /// Flash is asked as the side road's amber starts a change to the main road with its crossing
    /// called. The amber cannot be cut, so the change goes on: the crossing walks as the amber ends
    /// and the main road opens; the walk and its clearance run in full and hold the main road's
    /// green, which then takes its amber and the all-red before flash.
    @Test func aCrossingCalledIntoTheStageBeingEnteredWalksInFullBeforeFlash() throws {
        let junction = Self.tightCrossroads
        var harness = ControllerHarness(junction)
        while harness.controller.signals[1] != .green, harness.tick < 5000 { #expect(harness.run(1) == nil) }
        // The main road and its crossing call while the side road is green; it gaps out.
        while harness.controller.signals[1] != .amber, harness.tick < 5000 {
            #expect(harness.run(1) { _, snapshot in snapshot.presence[0] = true; snapshot.presence[2] = true } == nil)
        }
        #expect(harness.controller.submit(.flash(on: true, reason: .manual)) == .accepted)
        let requested = harness.tick + 1
        #expect(harness.run(400) == nil)
        let walked = harness.events.contains { $0.code == .pedBeginWalk && $0.parameter == 3 && $0.tick >= requested }
        #expect(walked, "the crossing of the stage being entered walks before flash")
        let flash = try #require(harness.events.first { $0.code == .flashStatus && $0.tick >= requested })
        let took = flash.tick - requested
        #expect(took <= junction.longestFlashEntry)
        // The rest of the amber to the walk, the walk and its clearance, the amber, the all-red.
        #expect(took >= 29 + 70 + 100 + 30 + 30 - 1, "took \(took) of \(junction.longestFlashEntry) ticks")
    }
}
