import JunctionConfig
import SignalCore

/// What the dashboard needs to draw one junction: group names and kinds, stage and detector names.
///
/// Comes from the junction's own TOML file when the city config names it; otherwise generic names
/// are made up from the counts in the junction's reports (G1, G2, …; D1, D2, …).
public struct JunctionLayout: Sendable, Equatable, Codable {
    /// One entry per signal group, in the junction's group order.
    public struct Group: Sendable, Equatable, Codable {
        public var name: String
        /// `vehicle`, `pedestrian` or `turnArrow`, as in junction files.
        public var kind: String

        public init(name: String, kind: String) {
            self.name = name
            self.kind = kind
        }
    }

    public var groups: [Group]
    public var stages: [String]
    public var detectors: [String]

    /// The layout of a loaded junction file.
    public init(junction: Junction) {
        groups = junction.groups.map { Group(name: $0.name, kind: $0.kind.rawValue) }
        stages = junction.stages.map(\.name)
        detectors = junction.detectors.map(\.name)
    }

    /// A layout without names, for a junction whose file the city config does not name.
    public init(groupCount: Int, stageCount: Int, detectorCount: Int) {
        groups = (0..<groupCount).map { Group(name: "G\($0 + 1)", kind: "vehicle") }
        stages = (0..<stageCount).map { "S\($0 + 1)" }
        detectors = (0..<detectorCount).map { "D\($0 + 1)" }
    }

    /// Loads the junction file at `path` through the daemon's own loader, so the names match what the junction runs.
    public static func load(path: String) throws(ConfigError) -> JunctionLayout {
        JunctionLayout(junction: try JunctionConfigLoader().load(path: path).junction)
    }
}
