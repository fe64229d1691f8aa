import Wire

/// Every signal performance measure of one junction over one range of its stored events, as the measures API
/// returns it (docs/central-measures.md defines each field and the atspm 2.6.1 query it matches).
///
/// Pure: computed from the events and the layout alone, no I/O. Measures that need to know which detector feeds
/// which phase are empty, with a note saying so, when the junction has no file to say it.
public struct SignalMeasures: Codable, Sendable, Equatable {
    public var junctionID: UInt32
    /// The range read, Unix seconds, `[from, to)`.
    public var from: Int64
    public var to: Int64
    public var binMinutes: Int
    /// Whether the junction's file maps detectors to phases.
    public var detectorMap: Bool
    /// What could not be computed, in words.
    public var notes: [String]
    public var cycles: [PhaseCycle]
    public var terminations: [TerminationBin]
    public var splitFailures: [SplitFailureBin]
    public var arrivalsOnGreen: [ArrivalsOnGreenBin]
    public var coordinationCycles: [CoordinationCycle]
    public var coordinationArrivals: [CoordinationArrival]
    public var detectorVolumes: [DetectorVolumeBin]
    public var approachVolumes: [ApproachVolumeBin]
    public var pedestrian: [PedestrianBin]

    /// The measures of `events` (one junction's, oldest first, stamped in `from..<to` seconds) in bins of
    /// `bins`, with detectors mapped by `layout`.
    public init(
        junctionID: UInt32, fromSeconds: Int64, toSeconds: Int64, bins: MeasureBins, events: [EventRecord],
        layout: JunctionLayout?
    ) {
        self.junctionID = junctionID
        from = fromSeconds
        to = toSeconds
        binMinutes = bins.minutes
        let map = DetectorMap(layout: layout)
        detectorMap = map != nil
        notes =
            map == nil
            ? [
                "no detector map: the city file names no junction file for this junction, so split failures, "
                    + "arrivals on green, the coordination diagram, approach volumes and push-button presses are not "
                    + "computed"
            ] : []
        cycles = PhaseCycle.cycles(events)
        terminations = TerminationBin.bins(events, bins: bins)
        detectorVolumes = DetectorVolumeBin.bins(events, map: map, bins: bins)
        pedestrian = PedestrianBin.bins(events, map: map, bins: bins)
        if let map {
            splitFailures = SplitFailureBin.bins(events, map: map, bins: bins)
            let arrivals = ArrivalMeasures(events, map: map, bins: bins)
            arrivalsOnGreen = arrivals.bins
            coordinationCycles = arrivals.cycles
            coordinationArrivals = arrivals.arrivals
            approachVolumes = ApproachVolumeBin.bins(detectorVolumes, map: map)
        } else {
            splitFailures = []
            arrivalsOnGreen = []
            coordinationCycles = []
            coordinationArrivals = []
            approachVolumes = []
        }
    }
}
