import FieldIO

/// A seeded SplitMix64 stream for the per-tick inputs of the property tests.
///
/// The stream is the simulator's own SplitMix64 rather than the standard library's generator, so
/// that a failing seed replays the same traffic on every platform and Swift version.
struct SeededRandom: RandomNumberGenerator {
    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func next() -> UInt64 { generator.next() }

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
