import SignalCore
import Testing

/// Emergency-vehicle preemption: the sequence and its events, minimum greens, walks, priority,
/// max presence, flash and fault, each run checked tick by tick by `IndependentSafetyChecker`.
@Suite struct PreemptionTests {
    /// Crossroads with two preempt detectors: preempt 1 dwells in the side stage and exits to the
    /// main stage, preempt 2 dwells in the main stage and exits to it.
    static func junction(minGreen: Tenths = 50, minDwell: Tenths = 100, maxPresence: Tenths = 1200) -> Junction {
        var junction = TestJunctions.crossroads
        junction.detectors += [
            Detector(name: "ev-side", groups: [], function: .preempt),
            Detector(name: "ev-main", groups: [], function: .preempt),
        ]
        junction.preempts = [
            Preempt(
                number: 1, name: "side", input: 3, dwellStage: 1, exitStage: 0, minGreen: minGreen,
                minDwell: minDwell, maxPresence: maxPresence),
            Preempt(
                number: 2, name: "main", input: 4, dwellStage: 0, exitStage: 0, minGreen: minGreen,
                minDwell: minDwell, maxPresence: maxPresence),
        ]
        return junction
    }

    /// A controller checked every tick by the independent checker, with the lamps and events kept.
    final class Run {
        var harness: ControllerHarness
        var checker: IndependentSafetyChecker
        var finding: IndependentSafetyChecker.Finding?

        init(_ junction: Junction) {
            harness = ControllerHarness(junction)
            checker = IndependentSafetyChecker(junction: junction)
        }

        var controller: SignalController { harness.controller }

        /// Runs `ticks` ticks; returns false at the first finding of the monitor or the checker.
        @discardableResult
        func run(_ ticks: Int, input: (Tenths, inout DetectorSnapshot) -> Void = { _, _ in }) -> Bool {
            for _ in 0..<ticks {
                if let violation = harness.run(1, input: input) {
                    Issue.record("monitor: \(violation)")
                    return false
                }
                if let found = checker.observe(tick: harness.tick, aspects: harness.controller.signals) {
                    finding = found
                    Issue.record("checker: \(found)")
                    return false
                }
                if let fault = harness.controller.fault {
                    Issue.record("controller's monitor: \(fault)")
                    return false
                }
            }
            return true
        }

        func preemptEvents(_ number: Int, from tick: Tenths = 0) -> [ControllerEvent] {
            harness.events.filter { $0.code.isPreempt && $0.parameter == number && $0.tick >= tick }
        }

        func first(_ code: EventCode, _ parameter: Int, after tick: Tenths = 0) -> Tenths? {
            harness.events.first { $0.code == code && $0.parameter == parameter && $0.tick >= tick }?.tick
        }
    }

    static let sequence: [EventCode] = [
        .preemptCallInputOn, .preemptEntryStarted, .preemptBeginTrackClearance, .preemptBeginDwell,
        .preemptCallInputOff, .preemptBeginExitInterval,
    ]

    @Test func heldCallEntersThroughClearancesDwellsAndExitsToTheExitStage() {
        let run = Run(Self.junction())
        run.run(300)
        #expect(run.controller.signals[0] == .green, "resting in main")
        let call = run.harness.tick + 1
        #expect(run.run(400) { tick, snapshot in snapshot.presence[3] = tick < call + 250 })
        #expect(run.preemptEvents(1).map(\.code) == Self.sequence)
        let tick = { (code: EventCode) in run.first(code, 1) ?? -1 }
        #expect(tick(.preemptCallInputOn) == call && tick(.preemptEntryStarted) == call)
        // Main had its minimum long ago: it ends at once, with its full amber and the intergreen.
        let mainEnd = run.first(.phaseBeginAmber, 1, after: call) ?? -1
        #expect(mainEnd == call && tick(.preemptBeginTrackClearance) == call)
        let sideGreen = run.first(.phaseBeginGreen, 2, after: call) ?? -1
        #expect(sideGreen >= mainEnd + 50, "intergreen main → side")
        #expect(tick(.preemptBeginDwell) == sideGreen)
        // The input held 25 s, longer than the 10 s minimum dwell: the exit follows its release.
        #expect(tick(.preemptCallInputOff) == call + 250 && tick(.preemptBeginExitInterval) == call + 250)
        let sideEnd = run.first(.phaseBeginAmber, 2, after: call) ?? -1
        #expect(sideEnd == call + 250)
        let mainAgain = run.first(.phaseBeginGreen, 1, after: sideEnd) ?? -1
        #expect(mainAgain >= sideEnd + 50, "exit to the main stage through its intergreen")
        #expect(run.controller.status.preempt == nil && run.controller.status.stage == 0)
    }

    @Test func statusShowsThePreemptAndItsPhase() {
        let run = Run(Self.junction())
        run.run(300)
        run.run(1) { _, snapshot in snapshot.presence[3] = true }
        #expect(run.controller.status.preempt?.number == 1)
        #expect(run.controller.status.preempt?.phase == .trackClearance)
        #expect(run.controller.status.stage == 1, "the dwell stage is shown as the stage being entered")
        run.run(100) { _, snapshot in snapshot.presence[3] = true }
        #expect(run.controller.status.preempt?.phase == .dwell)
        #expect(run.controller.status.inTransition == false)
        #expect(!run.controller.isAtStageRest, "no reload takes over during a preempt")
    }

    @Test func forcedCallHoldsForTheMinimumDwellThenExits() {
        let run = Run(Self.junction())
        run.run(300)
        #expect(run.controller.submit(.forceCall(detector: 3)) == .accepted)
        #expect(run.run(400))
        #expect(run.preemptEvents(1).map(\.code) == Self.sequence)
        let dwell = run.first(.preemptBeginDwell, 1) ?? -1
        #expect(run.first(.preemptCallInputOff, 1) == dwell + 100)
        #expect(run.first(.preemptBeginExitInterval, 1) == dwell + 100)
    }

    @Test func callNeverCutsAMinimumGreenAndWaitsForThePreemptMinimum() {
        for preemptMinimum: Tenths in [30, 100] {
            let run = Run(Self.junction(minGreen: preemptMinimum))
            let traffic = { (tick: Tenths, snapshot: inout DetectorSnapshot) in
                snapshot.actuations[1] = tick == 250 ? 1 : 0
                snapshot.actuations[0] = tick == 400 ? 1 : 0
            }
            // The side road is served, then main comes back: the call comes in main's first tick of green.
            while run.harness.tick < 2000 && !(run.harness.tick > 400 && run.controller.signals[0] == .green) {
                run.run(1, input: traffic)
            }
            let start = run.harness.tick
            #expect(run.controller.signals[0] == .green && start > 400)
            #expect(run.run(300) { tick, snapshot in
                traffic(tick, &snapshot)
                snapshot.presence[3] = true
            })
            let end = run.first(.phaseBeginAmber, 1, after: start) ?? -1
            // Main's own minimum is 7 s: a preempt minimum of 3 s cannot shorten it; one of 10 s holds it longer.
            #expect(end - start == max(70, preemptMinimum))
        }
    }

    @Test func walkAndItsClearanceRunInFull() {
        let run = Run(Self.junction())
        run.run(300)
        // The crossing of the side road runs with main: a press gives it a walk while main rests.
        run.run(5) { tick, snapshot in snapshot.actuations[2] = tick == 301 ? 1 : 0 }
        let walk = run.first(.pedBeginWalk, 3) ?? -1
        #expect(walk > 300)
        #expect(run.run(400) { _, snapshot in snapshot.presence[3] = true })
        let clearance = run.first(.pedBeginClearance, 3, after: walk) ?? -1
        let dontWalk = run.first(.pedBeginDontWalk, 3, after: walk) ?? -1
        #expect(clearance - walk == 70 && dontWalk - clearance == 100)
        let sideGreen = run.first(.phaseBeginGreen, 2, after: walk) ?? -1
        #expect(sideGreen > dontWalk && sideGreen >= clearance + 50, "intergreen from the crossing")
    }

    @Test func higherPriorityTakesOverAndTheLowerOneFollows() {
        let run = Run(Self.junction())
        run.run(300)
        // Preempt 2 (main) is called first and dwells; preempt 1 (side, higher priority) takes over.
        #expect(run.run(50) { _, snapshot in snapshot.presence[4] = true })
        #expect(run.controller.status.preempt?.number == 2 && run.controller.status.preempt?.phase == .dwell)
        #expect(run.run(300) { tick, snapshot in
            snapshot.presence[4] = true
            snapshot.presence[3] = tick < 500
        })
        let takeOver = run.first(.preemptEntryStarted, 1) ?? -1
        #expect(takeOver == 351)
        #expect(run.first(.preemptBeginDwell, 1) ?? -1 > takeOver)
        // After preempt 1 is released, preempt 2 (still called) is entered again, straight from the dwell.
        let exit1 = run.first(.preemptBeginExitInterval, 1) ?? -1
        #expect(exit1 >= 500)
        #expect(run.first(.preemptEntryStarted, 2, after: exit1) == exit1)
        #expect(run.run(200) { _, snapshot in snapshot.presence[4] = true })
        #expect(run.controller.status.preempt?.number == 2 && run.controller.signals[0] == .green)

        // A lower-priority call during a higher one waits.
        let other = Run(Self.junction())
        other.run(300)
        other.run(30) { _, snapshot in snapshot.presence[3] = true }
        other.run(100) { _, snapshot in
            snapshot.presence[3] = true
            snapshot.presence[4] = true
        }
        #expect(other.first(.preemptEntryStarted, 2) == nil)
        #expect(other.controller.status.preempt?.number == 1)
    }

    @Test func inputHeldPastMaxPresenceIsReportedAndReleased() {
        let run = Run(Self.junction(maxPresence: 300))
        run.run(300)
        #expect(run.run(600) { _, snapshot in snapshot.presence[3] = true })
        let on = run.first(.preemptCallInputOn, 1) ?? -1
        #expect(run.first(.preemptMaxPresenceExceeded, 1) == on + 300)
        #expect(run.first(.preemptBeginExitInterval, 1) == on + 300)
        #expect(run.controller.status.preempt == nil)
        #expect(run.first(.preemptEntryStarted, 1, after: on + 1) == nil, "a stuck input does not call again")
        // Released and pressed again, it calls again.
        #expect(run.run(20) { _, snapshot in snapshot.presence[3] = false })
        #expect(run.first(.preemptCallInputOff, 1) == run.harness.tick - 19)
        #expect(run.run(10) { _, snapshot in snapshot.presence[3] = true })
        #expect(run.first(.preemptEntryStarted, 1, after: on + 1) != nil)
    }

    @Test func flashOutranksAPreemptAndACallWaitsForNormalOperation() {
        let run = Run(Self.junction())
        run.run(300)
        #expect(run.controller.submit(.flash(on: true, reason: .manual)) == .accepted)
        #expect(run.run(200))
        #expect(run.controller.status.mode == .flash(.manual))
        #expect(run.run(100) { _, snapshot in snapshot.presence[3] = true })
        #expect(run.first(.preemptCallInputOn, 1) != nil && run.first(.preemptEntryStarted, 1) == nil)
        // Leaving flash, the standing call is served once normal operation starts.
        #expect(run.controller.submit(.flash(on: false, reason: .manual)) == .accepted)
        #expect(run.run(200) { _, snapshot in snapshot.presence[3] = true })
        #expect(run.first(.preemptBeginDwell, 1) != nil)
        // Flash asked during the dwell: the preempt is given up and flash entered by the normal rule.
        #expect(run.controller.submit(.flash(on: true, reason: .manual)) == .accepted)
        #expect(run.run(300) { _, snapshot in snapshot.presence[3] = true })
        #expect(run.controller.status.mode == .flash(.manual) && run.controller.status.preempt == nil)
    }

    @Test func latchedFaultIsNeverLeftForAPreempt() {
        let junction = Self.junction()
        let fault = SafetyViolation(tick: 0, kind: .conflict, groups: [0, 1], description: "restored")
        let controller = SignalController(junction: junction, restoredFault: fault)
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        snapshot.presence[3] = true
        for tick in 1...600 {
            controller.step(tick: tick, detectors: snapshot)
            #expect(controller.status.mode == .fault)
        }
        #expect(controller.status.preempt == nil)
        #expect(controller.signals.allSatisfy { !$0.isOpen })
    }

    /// The worst case: a call at every tick of a whole cycle (with the side road and the crossing
    /// called, so every interval of the cycle is met), each run checked for amber and clearances of
    /// their full time, every intergreen and every minimum by the independent checker, and each
    /// amber measured against the floor here too.
    @Test func callAtEveryMomentOfACycleKeepsEveryClearanceAndIntergreen() {
        let junction = Self.junction(minGreen: 30)
        let cycle = 400
        let traffic = { (tick: Tenths, snapshot: inout DetectorSnapshot) in
            snapshot.presence[1] = tick % cycle < 20
            snapshot.presence[0] = (200..<220).contains(tick % cycle)
            snapshot.actuations[2] = tick % cycle == 0 ? 1 : 0
        }
        for offset in 0..<cycle {
            let run = Run(junction)
            let callAt = 1200 + Tenths(offset)
            let finished = run.run(Int(callAt) + 900) { tick, snapshot in
                traffic(tick, &snapshot)
                snapshot.presence[3] = tick >= callAt && tick < callAt + 150
            }
            #expect(finished, "call at \(callAt)")
            #expect(Self.shortestAmber(run.harness.history, junction) >= SafetyMonitor.amberFloor)
            #expect(run.first(.preemptBeginDwell, 1, after: callAt) != nil, "call at \(callAt) reached its dwell")
            if !finished { return }
        }
    }

    /// Random calls of both preempts, of random length, over two simulated hours of random traffic.
    @Test func randomCallsKeepEveryInvariant() {
        let junction = Self.junction(minGreen: 30, maxPresence: 900)
        var random = SeededRandom(seed: 16)
        let run = Run(junction)
        var until = [Tenths](repeating: 0, count: 2)
        #expect(run.run(72_000) { tick, snapshot in
            for d in 0..<3 { snapshot.presence[d] = random.chance(percent: 3) }
            for p in 0..<2 where tick >= until[p] && random.chance(percent: 1) {
                until[p] = tick + random.int(1...1200)
            }
            snapshot.presence[3] = tick < until[0]
            snapshot.presence[4] = tick < until[1]
        })
        let entries = run.harness.events.filter { $0.code == .preemptEntryStarted }.count
        #expect(entries > 50, "entries \(entries)")
        #expect(Self.shortestAmber(run.harness.history, junction) >= SafetyMonitor.amberFloor)
    }

    /// The shortest complete amber in `history` (every vehicle amber that began and ended in it).
    static func shortestAmber(_ history: [[SignalState]], _ junction: Junction) -> Tenths {
        var shortest = Tenths.max
        for g in junction.groups.indices {
            var since: Int?
            for (index, states) in history.enumerated() {
                let amber = states[g] == .amber
                let before = index > 0 && history[index - 1][g] == .amber
                if amber && !before { since = index }
                if !amber && before, let start = since { shortest = min(shortest, Tenths(index - start)) }
            }
        }
        return shortest
    }
}

extension EventCode {
    /// The preemption events (102–111).
    var isPreempt: Bool { (102...111).contains(rawValue) }
}
