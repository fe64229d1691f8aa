import SignalCore
import Wire

/// Detector-on events of one detector in one bin: atspm `actuations.sql` (without `fill_in_missing`).
public struct DetectorVolumeBin: Codable, Sendable, Equatable {
    public var binStart: Int64
    public var detector: Int
    /// `stop_line`, `advance`, `push_button`, or `unknown` without a junction file.
    public var placement: String
    public var volume: Int

    /// One row per bin and detector with at least one detector-on, ordered by bin then detector.
    static func bins(_ events: [EventRecord], map: DetectorMap?, bins: MeasureBins) -> [DetectorVolumeBin] {
        var table: [BinKey: Int] = [:]
        for event in events where event.code == EventCode.detectorOn.rawValue {
            table[BinKey(binStart: bins.start(of: event.time), number: Int(event.parameter)), default: 0] += 1
        }
        return table.sorted { $0.key < $1.key }.map { key, volume in
            DetectorVolumeBin(
                binStart: key.binStart, detector: key.number, placement: map?.placement(of: key.number) ?? "unknown",
                volume: volume)
        }
    }
}

/// Vehicles of one phase's approach in one bin, stop-line and advance loops kept apart so no vehicle is counted
/// twice: the detector volumes summed over the loops serving the phase (a loop serving two phases counts on both).
public struct ApproachVolumeBin: Codable, Sendable, Equatable {
    public var binStart: Int64
    public var phase: Int
    public var stopLine: Int
    public var advance: Int

    /// One row per bin and phase with a loop counting in it, ordered by bin then phase.
    static func bins(_ detectorBins: [DetectorVolumeBin], map: DetectorMap) -> [ApproachVolumeBin] {
        var table: [BinKey: ApproachVolumeBin] = [:]
        for bin in detectorBins where bin.placement == DetectorMap.stopLine || bin.placement == DetectorMap.advance {
            for phase in map.phases(of: bin.detector) {
                let key = BinKey(binStart: bin.binStart, number: phase)
                var row = table[key] ?? ApproachVolumeBin(binStart: key.binStart, phase: phase, stopLine: 0, advance: 0)
                if bin.placement == DetectorMap.stopLine {
                    row.stopLine += bin.volume
                } else {
                    row.advance += bin.volume
                }
                table[key] = row
            }
        }
        return table.sorted { $0.key < $1.key }.map(\.value)
    }
}
