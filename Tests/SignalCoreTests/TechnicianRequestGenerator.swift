import SignalCore

/// Random requests from a technician or the central system: hold, advance, flash on and off,
/// plan selection, forced calls, and now and then one that must be refused.
struct TechnicianRequestGenerator {
    private var random: SeededRandom
    private let detectorCount: Int
    private let planNames: [String]
    private var nextRequest: Tenths
    private var releaseHoldAt: Tenths?
    private var leaveFlashAt: Tenths?

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
            record(controller.submit(.flash(on: false, reason: .manual)))
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
            record(controller.submit(.flash(on: true, reason: reason)))
            leaveFlashAt = tick + random.int(10...6000)
        case 3:
            record(controller.submit(.flash(on: false, reason: .manual)))
        case 4, 5:
            let actuated = planNames.isEmpty || random.chance(percent: 40)
            let name = actuated ? nil : planNames[random.int(0...(planNames.count - 1))]
            record(controller.submit(.selectPlan(name)))
        case 6, 7:
            guard detectorCount > 0 else { return nil }
            record(controller.submit(.forceCall(detector: random.int(0...(detectorCount - 1)))))
        case 8:
            if controller.submit(.selectPlan("no-such-plan")) == .accepted { return "an unknown plan was accepted" }
            if controller.submit(.forceCall(detector: detectorCount)) == .accepted {
                return "a call on detector \(detectorCount + 1) of \(detectorCount) was accepted"
            }
            refused += 2
        default:
            if controller.fault == nil, controller.submit(.resetFault) == .accepted {
                return "a fault reset was accepted with no fault latched"
            }
            refused += 1
        }
        return nil
    }

    private mutating func record(_ outcome: RequestOutcome) {
        if outcome == .accepted { accepted += 1 } else { refused += 1 }
    }
}
