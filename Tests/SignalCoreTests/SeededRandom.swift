/// A seeded SplitMix64 stream for the per-tick inputs of the property tests.
///
/// The algorithm is written out here rather than taken from the standard library so that a
/// failing seed replays the same traffic on every platform and Swift version.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`; the modulo bias is far below anything a traffic test can notice.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `percent` / 100.
    mutating func chance(percent: Int) -> Bool {
        int(0...99) < percent
    }

    /// A fresh seed for a sub-stream, so that adding draws to one part does not shift another.
    mutating func split() -> SeededRandom {
        SeededRandom(seed: next())
    }

    /// The threshold that makes `next() < threshold` true with the given probability per draw.
    static func threshold(probability: Double) -> UInt64 {
        if probability <= 0 { return 0 }
        if probability >= 1 { return .max }
        return UInt64(probability * 18_446_744_073_709_549_568.0)
    }
}
