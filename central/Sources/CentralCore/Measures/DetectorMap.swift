/// Which detectors feed which phase, and where each sits, taken from a junction file's detector `groups` and
/// `placement`. Exists only when the layout came from a file: the measures never invent a mapping.
public struct DetectorMap: Sendable, Equatable {
    /// Placements as junction files write them.
    public static let stopLine = "stop_line"
    public static let advance = "advance"
    public static let pushButton = "push_button"

    /// Placement and 1-based phases of each detector, indexed by detector number − 1.
    private let detectors: [JunctionLayout.Detector]

    /// The map of `layout`, or nil when there is no layout or no detector of it serves a known phase.
    public init?(layout: JunctionLayout?) {
        guard let layout, layout.detectors.contains(where: { !$0.phases.isEmpty }) else { return nil }
        detectors = layout.detectors
    }

    /// The placement of 1-based detector `number`, `unknown` outside the layout.
    func placement(of number: Int) -> String {
        detectors.indices.contains(number - 1) ? detectors[number - 1].placement : "unknown"
    }

    /// The 1-based phases 1-based detector `number` serves; none outside the layout.
    func phases(of number: Int) -> [Int] {
        detectors.indices.contains(number - 1) ? detectors[number - 1].phases : []
    }

    /// Detector numbers at `placement` serving each phase.
    func detectorsByPhase(at placement: String) -> [Int: [Int]] {
        var result: [Int: [Int]] = [:]
        for (index, detector) in detectors.enumerated() where detector.placement == placement {
            for phase in detector.phases { result[phase, default: []].append(index + 1) }
        }
        return result
    }
}
