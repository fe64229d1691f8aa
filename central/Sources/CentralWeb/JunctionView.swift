import CentralCore
import Diagnostics
import SignalCore
import Wire

/// One junction as the dashboard's JSON shows it: live state with names resolved from its layout, and aspects,
/// reasons and fault kinds in the words junctionctl uses (`red-amber`, `fault-monitor`).
struct JunctionView: Codable, Sendable {
    struct Group: Codable, Sendable {
        var name: String
        var kind: String
        /// `SignalState.wireName`: red, red-amber, green, amber, dont-walk, walk, flashing-dont-walk,
        /// flashing-amber, flashing-red, dark.
        var aspect: String
        /// The aspect the group shows in flash (`flashing-amber`, `flashing-red`, `dark`), for the timeline.
        var flash: String
        var call: Bool
        var lastTermination: String
    }

    struct Detector: Codable, Sendable {
        var name: String
        var presence: Bool
        var communicationFault: Bool
        var health: String
    }

    var id: UInt32
    var name: String
    /// Heard from within the stale limit.
    var online: Bool
    /// Milliseconds since the newest report arrived; nil before the first.
    var ageMilliseconds: Int64?
    /// When the newest report arrived, Unix milliseconds (central's clock); nil before the first. Everything below
    /// is as of then: an offline junction's lamps are its last known, not its present ones.
    var lastReportMilliseconds: Int64?
    var mode: String?
    var controllerMode: String?
    /// While flashing: startup, manual, automatic or fault-monitor.
    var flashReason: String?
    var stage: String?
    var stageIndex: Int?
    var timeInStageSeconds: Double?
    var inTransition: Bool
    var holdActive: Bool
    var planRunning: Bool
    var alarms: [String]
    var faultKind: String?
    var configHash: String?
    var bootID: String
    var groups: [Group]
    var detectors: [Detector]
    var reportsAccepted: UInt64
    var eventsStoredAtJunction: UInt64
    var eventsHeld: UInt64
    var countsStoredAtJunction: UInt64
    var countsHeld: UInt64
    /// The junction's own counters that are not zero, by name.
    var counters: [String: UInt64]
    var version: UInt64
    /// How congested it is now (the worst loop's recent occupancy); unknown while offline, the last figures kept.
    var congestion: CongestionLevel
    /// Where the city map draws it; absent when the city file gives no position.
    var position: MapPosition?

    init(_ junction: LiveJunction, nowMilliseconds: Int64, staleAfterMilliseconds: Int) {
        id = junction.id
        name = junction.name
        let status = junction.status
        let age = junction.lastReportMilliseconds > 0 ? nowMilliseconds - junction.lastReportMilliseconds : nil
        ageMilliseconds = age
        lastReportMilliseconds = age == nil ? nil : junction.lastReportMilliseconds
        online = age.map { $0 <= Int64(staleAfterMilliseconds) } ?? false
        mode = status.map { Self.name(of: $0.mode) }
        controllerMode = status.map { Self.name(of: $0.controllerMode) }
        flashReason = status?.flashReason?.wireName
        let layout =
            junction.layout
            ?? JunctionLayout(
                groupCount: status?.groups.count ?? 0, stageCount: (status?.stage ?? -1) + 1,
                detectorCount: status?.detectors.count ?? 0)
        stageIndex = status?.stage
        stage = status?.stage.map { $0 < layout.stages.count ? layout.stages[$0] : "S\($0 + 1)" }
        timeInStageSeconds = status.map { Double($0.timeInStageTenths) / 10 }
        inTransition = status?.inTransition ?? false
        holdActive = status?.holdActive ?? false
        planRunning = status?.planRunning ?? false
        alarms = status?.alarms.names ?? []
        faultKind = status?.faultKind?.wireName
        configHash = status.map { String($0.configHash, radix: 16) }
        bootID = String(junction.bootID)
        groups = (status?.groups ?? []).enumerated().map { index, group in
            let named = index < layout.groups.count ? layout.groups[index] : JunctionLayout.Group(name: "G\(index + 1)", kind: "vehicle")
            return Group(
                name: named.name, kind: named.kind, aspect: group.aspect.wireName, flash: named.flash, call: group.call,
                lastTermination: group.lastTermination.rawValue)
        }
        detectors = (status?.detectors ?? []).enumerated().map { index, detector in
            Detector(
                name: index < layout.detectors.count ? layout.detectors[index].name : "D\(index + 1)",
                presence: detector.presence, communicationFault: detector.communicationFault,
                health: detector.health.rawValue)
        }
        reportsAccepted = junction.reportsAccepted
        eventsStoredAtJunction = status?.eventsStoredThrough ?? 0
        eventsHeld = junction.eventsHeldThrough
        countsStoredAtJunction = status?.countsStoredThrough ?? 0
        countsHeld = junction.countsHeldThrough
        var counters: [String: UInt64] = [:]
        if let status {
            for counter in StatusCounter.allCases where status[counter] != 0 { counters[counter.name] = status[counter] }
        }
        self.counters = counters
        version = junction.version
        var congestion = junction.congestion
        if !online && congestion.level != .unknown {
            congestion.level = .unknown
            congestion.reason = "offline: the last figures are as old as the last report"
        }
        self.congestion = congestion
        position = junction.position
    }

    private static func name(of mode: Wire.StatusReport.Mode) -> String {
        switch mode {
        case .startup: return "startup"
        case .normal: return "normal"
        case .flash: return "flash"
        case .manual: return "manual"
        case .fault: return "fault"
        }
    }

    private static func name(of mode: Wire.StatusReport.ControllerModeCode) -> String {
        switch mode {
        case .startupFlash: return "startup-flash"
        case .allRed: return "all-red"
        case .normal: return "normal"
        case .enteringFlash: return "entering-flash"
        case .flash: return "flash"
        case .fault: return "fault"
        }
    }
}
