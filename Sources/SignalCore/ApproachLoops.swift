/// The loops of each signal group sorted by placement, as the adaptive strategies read them.
struct ApproachLoops {
    /// Per group, the indices of its stop-line loops (one per lane, as wired).
    let stopLine: [[Int]]
    /// Per group, the indices of its advance loops.
    let advance: [[Int]]

    init(junction: Junction) {
        var stopLine = Array(repeating: [Int](), count: junction.groups.count)
        var advance = stopLine
        for (d, detector) in junction.detectors.enumerated() {
            for g in detector.groups where junction.groups[g].kind != .pedestrian {
                switch detector.placement {
                case .stopLine: stopLine[g].append(d)
                case .advance: advance[g].append(d)
                case .pushButton: break
                }
            }
        }
        self.stopLine = stopLine
        self.advance = advance
    }

    /// Lanes of group `g`, counted by its stop-line loops; at least one.
    func lanes(_ g: Int) -> Int { max(stopLine[g].count, 1) }
}
