/// A time-based debounce of one input line, fed with the kernel's timestamped edges.
///
/// A new level is accepted once it has held for `debounceNanoseconds` with no edge back: a
/// bounce shorter than that is ignored entirely, and an accepted change is dated by the edge
/// that started it (its kernel timestamp), not by when the filter noticed. With a debounce of 0
/// every edge is accepted as it comes.
///
/// Edges carry the level the kernel read after the edge. Two edges in a row with the same level
/// mean the opposite edge between them was missed (the kernel's queue overflowed, or it read the
/// level late); such an edge is counted by the caller as missed and restarts the hold time,
/// since the line evidently moved.
///
/// Pure: time comes in as CLOCK_MONOTONIC nanoseconds, so tests step it by hand.
public struct DebounceFilter: Sendable, Equatable {
    /// An accepted change of level.
    public struct Transition: Sendable, Equatable {
        /// The new level (true: active, after any active-low inversion by the kernel).
        public var level: Bool
        /// The kernel timestamp of the edge that began the change (CLOCK_MONOTONIC, ns).
        public var edgeNanoseconds: Int

        /// A change to `level` begun by the edge at `edgeNanoseconds`.
        public init(level: Bool, edgeNanoseconds: Int) {
            self.level = level
            self.edgeNanoseconds = edgeNanoseconds
        }
    }

    /// What one edge did.
    public struct Observation: Sendable, Equatable {
        /// A change accepted while handling the edge (an earlier pending level that had matured
        /// by the time of this edge, or this edge itself when there is no debounce).
        public var transition: Transition?
        /// True when the edge repeated the level of the edge before it.
        public var repeated: Bool
    }

    /// The hold time a level needs to be accepted.
    public let debounceNanoseconds: Int
    /// The accepted level.
    public private(set) var level: Bool
    /// The level of the latest edge, accepted or not.
    private var raw: Bool
    /// When the latest edge happened.
    private var rawSinceNanoseconds: Int

    /// A filter whose line reads `level` at `nowNanoseconds` (read once after the line is requested).
    public init(level: Bool, debounceNanoseconds: Int, nowNanoseconds: Int) {
        precondition(debounceNanoseconds >= 0, "a debounce time is not negative")
        self.debounceNanoseconds = debounceNanoseconds
        self.level = level
        raw = level
        rawSinceNanoseconds = nowNanoseconds
    }

    /// When a pending level will be accepted if no edge comes first; nil when nothing is pending.
    public var deadlineNanoseconds: Int? {
        raw == level ? nil : rawSinceNanoseconds + debounceNanoseconds
    }

    /// Feeds one edge: the level read after it and its kernel timestamp.
    public mutating func observe(level edgeLevel: Bool, atNanoseconds timestamp: Int) -> Observation {
        let matured = settle(nowNanoseconds: timestamp)
        let repeated = edgeLevel == raw
        raw = edgeLevel
        rawSinceNanoseconds = timestamp
        if matured == nil, debounceNanoseconds == 0, raw != level {
            level = raw
            return Observation(transition: Transition(level: raw, edgeNanoseconds: timestamp), repeated: repeated)
        }
        return Observation(transition: matured, repeated: repeated)
    }

    /// Accepts a pending level that has held for the debounce time by `nowNanoseconds`.
    public mutating func settle(nowNanoseconds: Int) -> Transition? {
        guard raw != level, nowNanoseconds - rawSinceNanoseconds >= debounceNanoseconds else { return nil }
        level = raw
        return Transition(level: raw, edgeNanoseconds: rawSinceNanoseconds)
    }
}
