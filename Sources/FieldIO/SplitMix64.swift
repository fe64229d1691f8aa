/// The SplitMix64 generator (Steele, Lea and Flood, 2014): a 64-bit state, full period 2^64.
///
/// The simulator owns its randomness so that a seed gives the same traffic on every machine and
/// every Swift version; it never touches the system generator. Not for cryptographic use.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    /// A generator whose output sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value in `0..<bound`, by Lemire's multiply-high; `bound` must be positive.
    ///
    /// Written out rather than taken from the standard library's `next(upperBound:)`, whose
    /// algorithm may change between releases and with it every seeded run. The bias is below
    /// `bound / 2^64`, far under anything a traffic count can show.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        return next().multipliedFullWidth(by: bound).high
    }
}
