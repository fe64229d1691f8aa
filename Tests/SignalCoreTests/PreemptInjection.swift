import SignalCore

/// Random emergency-vehicle preemption for the property runs: one to three preempts added to a
/// generated junction (random dwell and exit stages and timings within the validator's ranges),
/// and their calls over time, held for random lengths (sometimes past the max presence) or forced
/// from the diagnostic socket. Deterministic for a seed, so a failure replays.
struct PreemptInjection {
    /// `junction` with preempts and their detectors (appended after the junction's own) added.
    static func adding(to junction: Junction, seed: UInt64) -> Junction {
        var random = SeededRandom(seed: seed ^ 0x7072_6565_6D70_7473)
        var junction = junction
        let carrying = junction.stages.indices.filter { stage in
            junction.stages[stage].groups.contains { junction.groups[$0].kind != .pedestrian }
        }
        guard !carrying.isEmpty else { return junction }
        for number in 1...random.int(1...3) {
            let input = junction.detectors.count
            junction.detectors.append(Detector(name: "ev\(number)", groups: [], function: .preempt))
            let minDwell = Tenths(random.int(10...300))
            junction.preempts.append(
                Preempt(
                    number: number, name: "ev\(number)", input: input,
                    dwellStage: carrying[random.int(0...(carrying.count - 1))],
                    exitStage: junction.sequence[random.int(0...(junction.sequence.count - 1))],
                    minGreen: Tenths(random.int(30...150)), minDwell: minDwell,
                    maxPresence: minDwell + Tenths(random.int(1...3000))))
        }
        return junction
    }

    private var random: SeededRandom
    private let preempts: [Preempt]
    private var heldUntil: [Tenths]
    private var nextCall: [Tenths]
    /// Calls placed so far (held inputs and forced calls).
    private(set) var calls = 0

    init(junction: Junction, seed: UInt64) {
        random = SeededRandom(seed: seed ^ 0x6361_6C6C_7300_0000)
        preempts = junction.preempts
        heldUntil = Array(repeating: 0, count: preempts.count)
        nextCall = preempts.map { _ in 0 }
        for p in preempts.indices { nextCall[p] = schedule() }
    }

    /// Sets this tick's preempt inputs in `snapshot` (after the traffic, which it overrides for the
    /// preempt detectors, keeping their communication faults) and now and then forces a call.
    mutating func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths, controller: SignalController) {
        for p in preempts.indices {
            let input = preempts[p].input
            if tick >= nextCall[p] {
                calls += 1
                nextCall[p] = tick + schedule()
                switch random.int(0...9) {
                case 0:
                    // Forced from the diagnostic socket: one actuation.
                    _ = controller.submit(.forceCall(detector: input))
                case 1:
                    // Stuck: longer than the max presence.
                    heldUntil[p] = tick + preempts[p].maxPresence + Tenths(random.int(1...600))
                case 2:
                    // A flicker of a tick or two.
                    heldUntil[p] = tick + Tenths(random.int(1...2))
                default:
                    heldUntil[p] = tick + Tenths(random.int(1...1200))
                }
            }
            snapshot.presence[input] = tick < heldUntil[p]
            snapshot.actuations[input] = 0
        }
    }

    /// Ticks to the next call: mostly minutes apart, now and then a burst.
    private mutating func schedule() -> Tenths {
        Tenths(random.chance(percent: 20) ? random.int(1...300) : random.int(600...9000))
    }
}
