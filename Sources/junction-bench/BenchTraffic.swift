import FieldIO
import SignalCore

/// Detector input for the benchmark: arrivals at rates typical of the Cirebon counts, short
/// actuations (mostly motorcycles), written in place into one snapshot so that filling it allocates
/// nothing. Deterministic for a seed, so every measured loop sees the same input.
struct BenchTraffic {
    private var random: SplitMix64
    private let thresholds: [UInt64]
    private var presentUntil: [Tenths]

    init(junction: Junction, seed: UInt64) {
        random = SplitMix64(seed: seed)
        thresholds = junction.detectors.map { detector in
            // Vehicles per hour per loop; buttons are pressed a few times a minute at most.
            let perHour: Double
            switch detector.placement {
            case .stopLine: perHour = 900
            case .advance: perHour = 700
            case .pushButton: perHour = 150
            }
            return UInt64(perHour / 36_000 * 18_446_744_073_709_549_568.0)
        }
        presentUntil = Array(repeating: 0, count: junction.detectors.count)
    }

    /// Overwrites presence and actuations for `tick`; no communication faults.
    mutating func fill(_ snapshot: inout DetectorSnapshot, tick: Tenths) {
        for d in thresholds.indices {
            var edges: UInt8 = 0
            if random.next() < thresholds[d] {
                if tick >= presentUntil[d] { edges = 1 }
                // 70 % motorcycles on the loop for 0.2–0.4 s, the rest cars for 0.5–1.2 s.
                let draw = random.next()
                let hold = draw % 10 < 7 ? Tenths(2 + draw % 3) : Tenths(5 + draw % 8)
                presentUntil[d] = max(presentUntil[d], tick + hold)
            }
            snapshot.actuations[d] = edges
            snapshot.presence[d] = tick < presentUntil[d]
        }
    }
}
