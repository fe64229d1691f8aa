/// The `detectors` reply: every detector's wiring, state, counts and NTCIP diagnostics.
public struct DetectorsReport: Codable, Sendable, Equatable {
    /// One detector.
    public struct Detector: Codable, Sendable, Equatable {
        public var number: Int
        public var name: String
        /// The groups it serves, by name.
        public var groups: [String]
        /// `call`, `extend` or `callAndExtend`.
        public var function: String
        /// `stopLine`, `advance` or `pushButton`.
        public var placement: String
        public var occupied: Bool
        /// `ok`, `no-activity`, `max-presence`, `erratic` or `communication`.
        public var health: String
        /// Vehicles (detector-on events) since the server started, and in the last 60 s.
        public var actuations: Int
        public var recentActuations: Int
        /// Occupancy since the server started and over the last 60 s, in tenths of a percent.
        public var occupancyPermille: Int
        public var recentOccupancyPermille: Int
        /// The diagnostic thresholds (0: check disabled).
        public var noActivityMinutes: Int
        public var maxPresenceMinutes: Int
        public var erraticPerMinute: Int
        /// What the controller does while the detector is failed: `maxRecall` or `minRecall`.
        public var failedAction: String

        public init(
            number: Int, name: String, groups: [String], function: String, placement: String, occupied: Bool,
            health: String, actuations: Int, recentActuations: Int, occupancyPermille: Int,
            recentOccupancyPermille: Int, noActivityMinutes: Int, maxPresenceMinutes: Int, erraticPerMinute: Int,
            failedAction: String
        ) {
            self.number = number
            self.name = name
            self.groups = groups
            self.function = function
            self.placement = placement
            self.occupied = occupied
            self.health = health
            self.actuations = actuations
            self.recentActuations = recentActuations
            self.occupancyPermille = occupancyPermille
            self.recentOccupancyPermille = recentOccupancyPermille
            self.noActivityMinutes = noActivityMinutes
            self.maxPresenceMinutes = maxPresenceMinutes
            self.erraticPerMinute = erraticPerMinute
            self.failedAction = failedAction
        }
    }

    public var tick: Int
    public var detectors: [Detector]

    public init(tick: Int, detectors: [Detector]) {
        self.tick = tick
        self.detectors = detectors
    }
}
