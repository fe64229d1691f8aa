import Diagnostics
import JunctionConfig
import SignalCore
import Wire

/// What the dashboard needs to draw one junction: group names, kinds and flash aspects, stage, plan and detector
/// names, and where each detector sits.
///
/// Comes from the junction's own TOML file when the city config names it; otherwise generic names
/// are made up from the counts in the junction's reports (G1, G2, …; D1, D2, …), and no detector serves a known phase.
public struct JunctionLayout: Sendable, Equatable, Codable {
    /// One entry per signal group, in the junction's group order.
    public struct Group: Sendable, Equatable, Codable {
        public var name: String
        /// `vehicle`, `pedestrian` or `turnArrow`, as in junction files.
        public var kind: String
        /// The aspect the group shows in flash, as the wire names it: `flashing-amber`, `flashing-red` or `dark`.
        public var flash: String

        public init(name: String, kind: String, flash: String? = nil) {
            self.name = name
            self.kind = kind
            self.flash = flash ?? (kind == "pedestrian" ? SignalState.dark : .flashingAmber).wireName
        }
    }

    /// One entry per detector input, in the junction's detector order.
    public struct Detector: Sendable, Equatable, Codable {
        public var name: String
        /// `stop_line`, `advance` or `push_button` as junction files write it; `unknown` without a file.
        public var placement: String
        /// The 1-based phases (signal groups) the detector serves, from the junction file's `groups`; empty without
        /// a file, so the measures never guess which loop feeds which phase.
        public var phases: [Int]

        public init(name: String, placement: String, phases: [Int] = []) {
            self.name = name
            self.placement = placement
            self.phases = phases
        }
    }

    public var groups: [Group]
    public var stages: [String]
    public var detectors: [Detector]
    /// Timing plans by 1-based number, as `patternChange` events carry them.
    public var plans: [String]

    /// The layout of a loaded junction file.
    public init(junction: Junction) {
        groups = junction.groups.map {
            Group(name: $0.name, kind: $0.kind.rawValue, flash: $0.flash.state(for: $0.kind).wireName)
        }
        stages = junction.stages.map(\.name)
        detectors = junction.detectors.map {
            Detector(name: $0.name, placement: Self.word(for: $0.placement), phases: $0.groups.map { $0 + 1 })
        }
        plans = junction.plans.map(\.name)
    }

    /// A layout without names, for a junction whose file the city config does not name.
    public init(groupCount: Int, stageCount: Int, detectorCount: Int) {
        groups = (0..<groupCount).map { Group(name: "G\($0 + 1)", kind: "vehicle") }
        stages = (0..<stageCount).map { "S\($0 + 1)" }
        detectors = (0..<detectorCount).map { Detector(name: "D\($0 + 1)", placement: "unknown") }
        plans = []
    }

    /// Loads the junction file at `path` through the daemon's own loader, so the names match what the junction runs.
    public static func load(path: String) throws(ConfigError) -> JunctionLayout {
        JunctionLayout(junction: try JunctionConfigLoader().load(path: path).junction)
    }

    /// What an event's parameter numbers (SignalCore.EventCode's meanings) among the things a layout lists.
    public enum EventSubject: Sendable {
        /// A 1-based signal group: phase, pedestrian and call events and the adaptive strategy's.
        case group
        /// A 1-based detector: detector on/off, fault and restore events.
        case detector
    }

    /// What the parameter of an event with `code` numbers, or nil when it numbers nothing a layout lists (a preempt,
    /// a flash reason, a code this build does not know).
    public static func subject(ofCode code: UInt16) -> EventSubject? {
        switch code {
        case 0...45, 201...205: return .group
        case 81...88: return .detector
        default: return nil
        }
    }

    /// Whether the group or detector `event`'s parameter numbers, if it numbers one, is one of this layout's.
    public func lists(_ event: Wire.EventRecord) -> Bool {
        let number = Int(event.parameter)
        switch Self.subject(ofCode: event.code) {
        case .group: return number >= 1 && number <= groups.count
        case .detector: return number >= 1 && number <= detectors.count
        case nil: return true
        }
    }

    /// Whether `bin`'s detector is one of this layout's.
    public func lists(_ bin: CountBin) -> Bool {
        Int(bin.detector) >= 1 && Int(bin.detector) <= detectors.count
    }

    /// The placement as docs/config.md spells it in a junction file.
    private static func word(for placement: DetectorPlacement) -> String {
        switch placement {
        case .stopLine: return "stop_line"
        case .advance: return "advance"
        case .pushButton: return "push_button"
        }
    }
}
