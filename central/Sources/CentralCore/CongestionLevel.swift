/// When the overview calls a junction busy or congested: occupancy of its worst loop over a recent window.
///
/// Occupancy (the share of time a loop is occupied) is what SCATS-style systems and traffic engineers read queues
/// from. Advance loops (about 50 m back) are preferred: a stop-line loop is occupied through every red by the first
/// waiting vehicle even in light traffic, while an advance loop stays mostly clear until the queue reaches it.
public struct CongestionThresholds: Sendable, Equatable {
    /// Occupancy at or above which a junction is busy, in permille.
    public var busyPermille: Int
    /// Occupancy at or above which a junction is congested, in permille; above `busyPermille`.
    public var congestedPermille: Int
    /// How far back the occupancy looks, in milliseconds.
    public var windowMilliseconds: Int

    public init(busyPermille: Int = 150, congestedPermille: Int = 300, windowMilliseconds: Int = 300_000) {
        self.busyPermille = busyPermille
        self.congestedPermille = congestedPermille
        self.windowMilliseconds = windowMilliseconds
    }
}

/// One junction's congestion as the overview and the map colour it, with the loop that decided it so an engineer
/// can check the figure.
public struct CongestionLevel: Sendable, Equatable, Codable {
    /// Traffic-light words: free, busy, congested; or unknown without loop data.
    public enum Level: String, Sendable, Codable { case free, busy, congested, unknown }

    public var level: Level
    /// The worst loop's occupancy over the window, in percent (one decimal); nil when unknown.
    public var occupancyPercent: Double?
    /// The worst loop's name and placement (`advance` or `stop_line`).
    public var detector: String?
    public var placement: String?
    /// The window's length in seconds, and its end as the junction's clock stamps it (Unix milliseconds).
    public var windowSeconds: Int
    public var asOfMilliseconds: Int64?
    /// Why the level is unknown, in words.
    public var reason: String?

    /// The level of the junction whose loop occupancies (by 0-based detector index, permille) are `occupancy`.
    ///
    /// Advance loops decide when the layout has any; otherwise stop-line loops; push buttons and loops of unknown
    /// placement never do. Without a layout there is nothing to choose from, and the level is unknown.
    public init(
        occupancy: [Int: Int], layout: JunctionLayout?, thresholds: CongestionThresholds, asOfMilliseconds: Int64?
    ) {
        windowSeconds = thresholds.windowMilliseconds / 1000
        self.asOfMilliseconds = asOfMilliseconds
        let detectors = layout?.detectors ?? []
        let placement = ["advance", "stop_line"].first { kind in detectors.contains { $0.placement == kind } }
        guard let placement else {
            level = .unknown
            reason = layout == nil ? "no junction file: loop placements unknown" : "no stop-line or advance loops"
            return
        }
        guard asOfMilliseconds != nil else {
            level = .unknown
            reason = "no detector events received yet"
            return
        }
        let candidates = detectors.indices.filter { detectors[$0].placement == placement }
        let worst = candidates.max { (occupancy[$0] ?? 0) < (occupancy[$1] ?? 0) }!
        let permille = occupancy[worst] ?? 0
        level = permille >= thresholds.congestedPermille ? .congested : permille >= thresholds.busyPermille ? .busy : .free
        occupancyPercent = Double(permille) / 10
        detector = detectors[worst].name
        self.placement = placement
    }
}
