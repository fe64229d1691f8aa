import SignalCore

/// Random requests from a technician or the central system: hold, advance, flash on (half of them
/// at the start of a stage change) and off, plan selection (a technician's override and its
/// release, and the schedule's switches), forced calls, and now and then one that must be refused.
struct TechnicianRequestGenerator {
    private var random: SeededRandom
    private let detectorCount: Int
    private let planNames: [String]
    private var nextRequest: Tenths
    private var releaseHoldAt: Tenths?
    private var leaveFlashAt: Tenths?
    /// A flash request held back for the start of the next stage change, the moment whose flash
    /// entry takes longest (the change goes on while its clearances run).
    private var flashAtNextChange: FlashReason?

    /// When the flash request standing now was first accepted, or nil with none standing.
    private(set) var flashAskedAt: Tenths?

    /// Requests submitted, by whether they were accepted.
    private(set) var accepted = 0
    private(set) var refused = 0

    init(junction: Junction, seed: UInt64) {
        random = SeededRandom(seed: seed ^ 0x7465_6368_6E69_6369)
        detectorCount = junction.detectors.count
        planNames = junction.plans.map(\.name)
        nextRequest = random.int(0...3000)
    }

    /// Submits this tick's request, if any, and checks that impossible ones are refused.
    /// Returns a description of a wrong answer, or nil.
    mutating func submit(to controller: SignalController, tick: Tenths) -> String? {
        if let at = releaseHoldAt, tick >= at {
            releaseHoldAt = nil
            record(controller.submit(.hold(false)))
        }
        if let at = leaveFlashAt, tick >= at {
            leaveFlashAt = nil
            releaseFlash(controller)
        }
        if let reason = flashAtNextChange, controller.status.inTransition {
            flashAtNextChange = nil
            askForFlash(reason, controller: controller, tick: tick)
        }
        guard tick >= nextRequest else { return nil }
        // Mostly a request every 30 s to 10 min; now and then a quick burst of them.
        nextRequest = tick + (random.chance(percent: 20) ? random.int(1...50) : random.int(300...6000))
        switch random.int(0...9) {
        case 0:
            record(controller.submit(.hold(true)))
            releaseHoldAt = tick + random.int(10...3000)
        case 1:
            record(controller.submit(.advance))
        case 2:
            let reason = random.chance(percent: 50) ? FlashReason.manual : .automatic
            if random.chance(percent: 50) {
                flashAtNextChange = reason
            } else {
                askForFlash(reason, controller: controller, tick: tick)
            }
        case 3:
            releaseFlash(controller)
        case 4:
            let actuated = planNames.isEmpty || random.chance(percent: 40)
            let name = actuated ? nil : planNames[random.int(0...(planNames.count - 1))]
            // A technician's plan overrides the schedule; now and then `plan auto` releases it.
            if random.chance(percent: 30) {
                _ = controller.submit(.releaseOverride)
            } else {
                record(controller.submit(.selectPlan(name)))
            }
        case 5:
            // The schedule's switches: any plan, actuated or adaptive, at any moment.
            let pick = random.int(0...(planNames.count + 1))
            let selection: PlanSelection =
                pick < planNames.count ? .fixedTime(planNames[pick]) : pick == planNames.count ? .actuated : .adaptive
            record(controller.submit(.schedule(selection)))
        case 6, 7:
            guard detectorCount > 0 else { return nil }
            record(controller.submit(.forceCall(detector: random.int(0...(detectorCount - 1)))))
        case 8:
            if controller.submit(.selectPlan("no-such-plan")) == .accepted { return "an unknown plan was accepted" }
            if controller.submit(.schedule(.fixedTime("no-such-plan"))) == .accepted {
                return "the schedule's unknown plan was accepted"
            }
            if controller.submit(.forceCall(detector: detectorCount)) == .accepted {
                return "a call on detector \(detectorCount + 1) of \(detectorCount) was accepted"
            }
            refused += 3
        default:
            if controller.fault == nil, controller.submit(.resetFault) == .accepted {
                return "a fault reset was accepted with no fault latched"
            }
            refused += 1
        }
        return nil
    }

    private mutating func askForFlash(_ reason: FlashReason, controller: SignalController, tick: Tenths) {
        let outcome = controller.submit(.flash(on: true, reason: reason))
        record(outcome)
        if outcome == .accepted, flashAskedAt == nil { flashAskedAt = tick }
        leaveFlashAt = tick + random.int(10...6000)
    }

    private mutating func releaseFlash(_ controller: SignalController) {
        let outcome = controller.submit(.flash(on: false, reason: .manual))
        record(outcome)
        if outcome == .accepted { flashAskedAt = nil }
    }

    private mutating func record(_ outcome: RequestOutcome) {
        if outcome == .accepted { accepted += 1 } else { refused += 1 }
    }
}
