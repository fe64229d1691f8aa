/// The `counts` reply: volume and occupancy per detector and green terminations per group, as
/// the server tallied them from the journal and the live state since it started.
public struct CountsReport: Codable, Sendable, Equatable {
    /// One detector's counts.
    public struct Detector: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        /// Vehicles (detector-on events) since `sinceTick`, and in the last 60 s.
        public var actuations: Int
        public var recentActuations: Int
        /// Occupancy since `sinceTick` and over the last 60 s, in tenths of a percent.
        public var occupancyPermille: Int
        public var recentOccupancyPermille: Int

        public init(
            number: Int, name: String, actuations: Int, recentActuations: Int, occupancyPermille: Int,
            recentOccupancyPermille: Int
        ) {
            self.number = number
            self.name = name
            self.actuations = actuations
            self.recentActuations = recentActuations
            self.occupancyPermille = occupancyPermille
            self.recentOccupancyPermille = recentOccupancyPermille
        }
    }

    /// One group's greens and how they ended.
    public struct Group: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        public var greens: Int
        public var gapOuts: Int
        public var maxOuts: Int
        public var forceOffs: Int
        /// Every green end, including manual advance and flash entry.
        public var terminations: Int

        public init(
            number: Int, name: String, greens: Int, gapOuts: Int, maxOuts: Int, forceOffs: Int, terminations: Int
        ) {
            self.number = number
            self.name = name
            self.greens = greens
            self.gapOuts = gapOuts
            self.maxOuts = maxOuts
            self.forceOffs = forceOffs
            self.terminations = terminations
        }
    }

    /// The tick counted to, and the tick counting started at.
    public var tick: Int
    public var sinceTick: Int
    public var detectors: [Detector]
    public var groups: [Group]

    public init(tick: Int, sinceTick: Int, detectors: [Detector], groups: [Group]) {
        self.tick = tick
        self.sinceTick = sinceTick
        self.detectors = detectors
        self.groups = groups
    }
}
