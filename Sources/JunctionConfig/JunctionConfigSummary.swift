import SignalCore

/// What a loaded junction file holds, in a line for `junctiond --check-config` and the logs.
public struct JunctionConfigSummary: Sendable, Equatable, CustomStringConvertible {
    /// How the file describes the junction.
    public enum Layout: String, Sendable {
        case signalGroups = "signal groups"
        case ringBarrier = "NEMA ring-barrier"
    }

    /// The junction's name.
    public var name: String
    /// Signal groups or NEMA ring-barrier.
    public var layout: Layout
    /// Signal groups (compiled phases for NEMA).
    public var groups: Int
    /// Stages, including NEMA stages the sequence does not use.
    public var stages: Int
    /// Entries of the stage sequence (a stage may appear more than once).
    public var sequenceLength: Int
    /// Detectors.
    public var detectors: Int
    /// Fixed-time plans.
    public var plans: Int
    /// The longest cycle the file allows, in tenths: the longest fixed-time plan cycle or the
    /// actuated cycle with every stage at max green, whichever is longer.
    public var maxCycle: Tenths

    /// The summary of `junction`, which should be valid (the max cycle of an invalid one means little).
    public init(junction: Junction, layout: Layout) {
        name = junction.name
        self.layout = layout
        groups = junction.groups.count
        stages = junction.stages.count
        sequenceLength = junction.sequence.count
        detectors = junction.detectors.count
        plans = junction.plans.count
        maxCycle = max(JunctionValidator.longestActuatedCycle(of: junction), junction.plans.map(\.cycle).max() ?? 0)
    }

    /// One line: name, layout, counts and max cycle in seconds.
    public var description: String {
        "\(name) (\(layout.rawValue)): \(count(groups, "group")), \(count(stages, "stage")) "
            + "(sequence of \(sequenceLength)), \(count(detectors, "detector")), \(count(plans, "plan")), "
            + "max cycle \(JunctionValidator.seconds(maxCycle))"
    }

    /// The `[neighbours]` section in lines for `junctiond --check-config`: the socket and timing,
    /// then one line per neighbour with its address, the shares by group name and the travel time.
    public static func neighbourLines(_ settings: NeighbourSettings, junction: Junction) -> [String] {
        func shares(_ list: [(group: Int, share: Double)]) -> String {
            list.isEmpty ? "none" : list.map { "\(junction.groups[$0.group].name) \($0.share)" }.joined(separator: ", ")
        }
        var lines = [
            "neighbours: junction \(settings.junctionId) listening on \(settings.listen); horizon "
                + "\(JunctionValidator.seconds(settings.horizonTenths)), stale after \(JunctionValidator.seconds(settings.staleAfterTenths)), "
                + "late after \(JunctionValidator.seconds(settings.lateAfterTenths))"
        ]
        for neighbour in settings.neighbours {
            lines.append(
                "  junction \(neighbour.junctionId) at \(neighbour.address): outflow \(shares(neighbour.outflow)); "
                    + "inflow \(shares(neighbour.inflow)); travel \(JunctionValidator.seconds(neighbour.travelTenths))")
        }
        return lines
    }

    private func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
