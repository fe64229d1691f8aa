import SignalCore

/// Which NTCIP phase number each signal group reports as.
///
/// A junction compiled from a `[nema]` ring-barrier description keeps its NEMA numbers: the
/// group compiled from phase *p* is phase *p*. A signal-group junction numbers its groups in file
/// order: group *i* (0-based) is phase *i + 1*. Pedestrian groups keep their own phase numbers
/// and report in the walk, pedestrian-clear and don't-walk masks (docs/snmp.md).
public struct NTCIPPhaseMap: Sendable, Equatable {
    /// Phase number (1...255) per group index.
    public let phaseOfGroup: [Int]

    /// The map for `junction`; `ringBarrier` is the description it was compiled from, if any.
    /// Groups beyond phase 255 (a junction file allows at most 64 groups) cannot occur.
    public init(junction: Junction, ringBarrier: RingBarrierDescription?) {
        var numbers = junction.groups.indices.map { $0 + 1 }
        if let ringBarrier {
            for (index, group) in junction.groups.enumerated() {
                if let phase = ringBarrier.phases.first(where: { $0.name == group.name }) {
                    numbers[index] = phase.number
                }
            }
        }
        phaseOfGroup = numbers
    }

    /// The highest phase number in use (`maxPhases`); 0 for no groups.
    public var maxPhases: Int { phaseOfGroup.max() ?? 0 }

    /// Rows of the phase status table: 8 phases per group (`maxPhaseGroups`).
    public var maxPhaseGroups: Int { (maxPhases + 7) / 8 }
}
