/// Which adaptive strategy runs on top of actuated control, and its tuning (`[adaptive]`).
///
/// All times are in tenths. The defaults suit an urban junction at 40–50 km/h with stop-line
/// loops and advance loops about 50 m upstream.
public struct AdaptiveSettings: Sendable, Equatable {
    /// The strategy choices.
    public enum Strategy: String, Sendable, CaseIterable {
        /// Plain actuated control: gap-out and max-out decide, no strategy runs.
        case actuated
        /// Cycle-by-cycle: SCATS-like degree of saturation from stop-line loops re-times max greens.
        case saturation
        /// Second-by-second: advance-loop arrivals and queues decide each extension.
        case advance
    }

    public var strategy: Strategy
    /// The degree of saturation the cycle-by-cycle strategy aims every group's green at, in percent.
    public var targetSaturationPercent: Int
    /// The most a group's max green moves in one cycle, in tenths.
    public var splitStep: Tenths
    /// The gap between vehicles at saturation flow on one lane, in tenths (the standard gap h of
    /// the degree of saturation is this less a vehicle's occupancy of a point loop).
    public var saturationHeadway: Tenths
    /// Free-flow travel time from an advance loop to the stop line, in tenths.
    public var advanceTravel: Tenths
    /// The travel an advance loop may be from the stop line: a setting, or a measured trip.
    public static let advanceTravelRange: ClosedRange<Tenths> = 10...150
    /// How far ahead the second-by-second strategy looks for vehicles to serve, in tenths.
    public var horizon: Tenths
    /// The time a stop costs a vehicle beyond its wait (braking and starting), in tenths.
    public var stopPenalty: Tenths

    /// Settings with the defaults for everything but the strategy.
    public init(
        strategy: Strategy = .actuated, targetSaturationPercent: Int = 90, splitStep: Tenths = 40,
        saturationHeadway: Tenths = 20, advanceTravel: Tenths = 36, horizon: Tenths = 80, stopPenalty: Tenths = 60
    ) {
        self.strategy = strategy
        self.targetSaturationPercent = targetSaturationPercent
        self.splitStep = splitStep
        self.saturationHeadway = saturationHeadway
        self.advanceTravel = advanceTravel
        self.horizon = horizon
        self.stopPenalty = stopPenalty
    }

    /// The strategy these settings select for `junction`, or nil for plain actuated control.
    /// `neighbours`, the forecast of a junction with `[neighbours]`, is read by `advance` only: the
    /// other strategies run as if isolated.
    public func makeStrategy(for junction: Junction, neighbours: NeighbourArrivals? = nil) -> (any GreenTimingStrategy)? {
        switch strategy {
        case .actuated: return nil
        case .saturation: return DegreeOfSaturationStrategy(junction: junction, settings: self)
        case .advance: return AdvanceDetectorStrategy(junction: junction, settings: self, neighbours: neighbours)
        }
    }
}
