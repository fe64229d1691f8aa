import CentralCore
import SignalCore
import Wire

/// Count bins for the volume chart, with the detector names to label them.
struct CountsView: Codable, Sendable {
    struct Bin: Codable, Sendable {
        var start: Int64
        var period: Int
        var detector: Int
        var volume: Int
        var occupancyPermille: Int
    }

    var sinceSeconds: Int64
    /// 1-based detector numbers map to `detectorNames[number - 1]`; empty when the layout is unknown.
    var detectorNames: [String]
    var bins: [Bin]

    init(sinceSeconds: Int64, counts: [CountBin], detectorNames: [String]) {
        self.sinceSeconds = sinceSeconds
        self.detectorNames = detectorNames
        bins = counts.map {
            Bin(
                start: Int64(clamping: $0.binStartSeconds), period: Int($0.periodSeconds), detector: Int($0.detector),
                volume: Int($0.volume), occupancyPermille: Int($0.occupancyPermille))
        }
    }
}

/// One event for the timeline, with its code's name and its parameter named from the layout.
struct EventView: Codable, Sendable {
    var record: UInt64
    var timeMilliseconds: Int64
    var code: UInt16
    var name: String
    var parameter: Int32
    /// The group or detector the parameter names, when the code has one and the layout knows it.
    var subject: String?

    init(_ event: EventRecord, layout: JunctionLayout?) {
        record = event.recordNumber
        timeMilliseconds = Int64(clamping: event.timeMilliseconds)
        code = event.code
        parameter = Int32(event.parameter)
        let known = EventCode(rawValue: event.code)
        name = known.map { "\($0)" } ?? "code \(event.code)"
        let index = Int(event.parameter) - 1
        switch event.code {
        case 0...45:
            subject = layout.flatMap { index >= 0 && index < $0.groups.count ? $0.groups[index].name : nil } ?? "G\(event.parameter)"
        case 81...88:
            subject = layout.flatMap { index >= 0 && index < $0.detectors.count ? $0.detectors[index] : nil } ?? "D\(event.parameter)"
        default:
            subject = nil
        }
    }
}
