import SignalCore

/// How the junction reaches one traffic light of a SUMO network (`[sumo]`): which TLS link
/// indices each signal group drives and which induction loop feeds each detector.
///
/// With it, junctiond's controller can run any SUMO network's traffic light through TraCI. The
/// loader guarantees every group maps to at least one link, no link belongs to two groups, every
/// detector reads exactly one loop and no loop feeds two detectors. Whether the indices exist in
/// the network is checked when the simulation starts, since only the network knows its links.
public struct SumoMapping: Sendable, Equatable {
    /// The SUMO traffic light id (`tlLogic id`).
    public var trafficLight: String
    /// Per signal group (by index), the TLS link indices it drives, 0-based as SUMO numbers them.
    public var groupLinks: [[Int]]
    /// Per detector (by index), the SUMO induction loop (E1) id it reads.
    public var detectorLoops: [String]

    /// A mapping as given; the loader is what checks it.
    public init(trafficLight: String, groupLinks: [[Int]], detectorLoops: [String]) {
        self.trafficLight = trafficLight
        self.groupLinks = groupLinks
        self.detectorLoops = detectorLoops
    }
}
