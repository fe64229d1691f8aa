/// The adaptive layer's state for status reports: what it estimates and why it changed greens.
///
/// Arrays are per signal group. Values a strategy does not estimate stay 0.
public struct AdaptiveStatus: Sendable, Equatable {
    /// The strategy's name (`saturation`, `advance`); empty when none runs.
    public var strategy: String
    /// What the strategy last did to each group's green, and why.
    public var decisions: [AdaptiveDecision]
    /// The max green each group may have now, in tenths, after the strategy's adjustment.
    public var maxGreen: [Tenths]
    /// The last measured degree of saturation per group, in percent (cycle-by-cycle strategy).
    public var degreeOfSaturationPercent: [Int]
    /// Vehicles estimated between the advance loop and the stop line (or queued past it) per group.
    public var queuedVehicles: [Int]
    /// The travel from the advance loop to the stop line each group's vehicles take when free, as
    /// learned, in tenths.
    public var advanceTravel: [Tenths]
    /// The cycle length the strategy aims for, in tenths; 0 when it does not set one.
    public var cycleTarget: Tenths

    /// An empty status for `groupCount` groups.
    public init(strategy: String = "", groupCount: Int = 0) {
        self.strategy = strategy
        decisions = Array(repeating: AdaptiveDecision(), count: groupCount)
        maxGreen = Array(repeating: 0, count: groupCount)
        degreeOfSaturationPercent = Array(repeating: 0, count: groupCount)
        queuedVehicles = Array(repeating: 0, count: groupCount)
        advanceTravel = Array(repeating: 0, count: groupCount)
        cycleTarget = 0
    }

    /// Makes this a status of `strategy` for `groupCount` groups: keeps the arrays (and so
    /// allocates nothing) when they already have that size, else starts from an empty status.
    mutating func prepare(strategy name: String, groupCount: Int) {
        if decisions.count != groupCount { self = AdaptiveStatus(strategy: name, groupCount: groupCount) }
        strategy = name
    }
}
