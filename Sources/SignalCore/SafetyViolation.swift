/// A breach of the safety envelope, as latched by `SafetyMonitor`.
///
/// Building one allocates (its group list and text), which only happens on the way into
/// fault flash, never in a healthy tick.
public struct SafetyViolation: Sendable, Equatable, CustomStringConvertible {
    /// The rule that was broken.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// Two conflicting groups were open (green, amber, red+amber, walk or clearing) together.
        case conflict = 1
        /// A green (or walk) ended before its minimum.
        case minimumGreen = 2
        /// An amber (or flashing don't walk) ended before its minimum.
        case minimumClearance = 3
        /// A green started too soon after a conflicting green ended.
        case intergreen = 4
        /// An aspect followed another in an order the sequence forbids (green→red, amber→green,
        /// red+amber not followed by green, …).
        case illegalTransition = 5
        /// An aspect that does not belong to the group's kind (a vehicle head showing walk).
        case illegalAspect = 6
        /// The first observed state was not a safe one (flash, dark, red or don't walk).
        case unsafeInitialState = 7
        /// The field showed something other than what was commanded (from read-back).
        case readBackMismatch = 8
    }

    public var tick: Tenths
    public var kind: Kind
    /// The 0-based groups involved.
    public var groups: [Int]
    /// A sentence for the technician: what happened, to which groups, with the times involved.
    public var description: String

    public init(tick: Tenths, kind: Kind, groups: [Int], description: String) {
        self.tick = tick
        self.kind = kind
        self.groups = groups
        self.description = description
    }
}
