/// Bounds the parser holds any input to, so that hostile text costs time in proportion to its
/// length and never exhausts the stack.
public struct TOMLLimits: Sendable, Equatable {
    /// The most parts a key path may have, counting a table header's keys, a dotted key's parts
    /// and the keys of enclosing inline tables together.
    public var deepestKeyPath: Int
    /// The most arrays and inline tables a value may be nested in (the parser recurses once per
    /// level).
    public var deepestNesting: Int

    /// Limits; both must be at least 1.
    public init(deepestKeyPath: Int = 32, deepestNesting: Int = 32) {
        precondition(deepestKeyPath >= 1 && deepestNesting >= 1, "TOML limits must be at least 1")
        self.deepestKeyPath = deepestKeyPath
        self.deepestNesting = deepestNesting
    }
}
