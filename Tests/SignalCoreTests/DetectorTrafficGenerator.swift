import SignalCore

/// Detector inputs over time for a whole junction: one `DetectorStream` per detector, plus now and
/// then a communication outage of the whole backend. Deterministic for a seed, so a failure replays.
///
/// Preempt inputs see no traffic (an emergency vehicle is not a stream of cars; `PreemptInjection`
/// calls them where a property wants preemption), only the backend's outages.
struct DetectorTrafficGenerator {
    private var random: SeededRandom
    private var streams: [DetectorStream]
    private let isPreemptInput: [Bool]
    private let outageThreshold: UInt64
    private var outageUntil: Tenths = 0
    /// Whole-backend outages started so far.
    private(set) var outages = 0

    init(junction: Junction, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        streams = junction.detectors.map { detector in
            var own = random.split()
            return DetectorStream(isButton: detector.placement == .pushButton, random: &own)
        }
        isPreemptInput = junction.detectors.map { $0.function == .preempt }
        // From never to about twice an hour.
        outageThreshold = SeededRandom.threshold(probability: Double(random.int(0...2)) / 36_000)
        self.random = random
    }

    /// Detector faults injected so far, outages not counted.
    var faultsInjected: Int { streams.reduce(0) { $0 + $1.faultsInjected } }

    /// Overwrites every field of `snapshot` with the readings for `tick`.
    mutating func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths) {
        if outageThreshold > 0, tick >= outageUntil, random.next() < outageThreshold {
            outageUntil = tick + random.int(10...3000)
            outages += 1
        }
        let outage = tick < outageUntil
        for d in streams.indices {
            // Read even for a preempt input, so the other detectors' traffic stays that of the seed.
            let reading = streams[d].read(tick: tick, random: &random)
            let quiet = isPreemptInput[d]
            snapshot.presence[d] = reading.presence && !quiet
            snapshot.actuations[d] = quiet ? 0 : reading.actuations
            snapshot.communicationFault[d] = (reading.fault && !quiet) || outage
        }
    }
}
