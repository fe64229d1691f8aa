import Diagnostics
import Wire

/// The city's alarm list, derived from the junctions' live state each time `review` runs: an alarm stands from the
/// review that first sees its condition until the first review that no longer does, then stays as history.
///
/// Guarantees: at most one standing alarm per junction and kind; a standing alarm is only ever cleared, never
/// dropped; the list keeps every standing alarm and the newest `clearedKept` cleared ones. A junction that goes
/// offline keeps the alarms it had (central cannot know they ended) and gains `offline`; its return clears that.
/// Held in memory: after central restarts the list starts again from the junctions' reports, and an acknowledgement
/// kept in the store (`carryOver`) goes to the same junction's alarm of the same kind when the first look after the
/// restart still finds that condition; once a look finds the junction (or central's store) without it, it lapses.
/// An acknowledged standing alarm sorts below the unacknowledged ones of its severity.
public struct AlarmBook: Sendable {
    /// Cleared alarms kept as history.
    public static let clearedKept = 200

    private struct Key: Hashable {
        var junctionID: UInt32?
        var kind: CityAlarm.Kind
    }

    private struct Condition {
        var key: Key
        var severity: CityAlarm.Severity
        var detail: String?
    }

    /// Oldest first.
    public private(set) var alarms: [CityAlarm] = []
    /// Bumped by every change, so a watcher sends the list only when it changed.
    public private(set) var version: UInt64 = 0
    private var nextNumber: UInt64 = 1
    /// Acknowledgements from before a restart, waiting for their alarm to be raised again.
    private var carried: [Key: AlarmAcknowledgement] = [:]

    public init() {}

    /// What `acknowledge` did.
    public enum AcknowledgeOutcome: Sendable, Equatable {
        case acknowledged(CityAlarm)
        /// The alarm was acknowledged before; the first acknowledgement stands.
        case alreadyAcknowledged(CityAlarm)
        /// No alarm with that number is held (never raised in this run, or cleared long ago and dropped).
        case unknown
    }

    /// Marks alarm `number` acknowledged; standing and cleared alarms alike, each once.
    public mutating func acknowledge(number: UInt64, _ acknowledgement: AlarmAcknowledgement) -> AcknowledgeOutcome {
        guard let index = alarms.firstIndex(where: { $0.number == number }) else { return .unknown }
        guard alarms[index].acknowledgement == nil else { return .alreadyAcknowledged(alarms[index]) }
        alarms[index].acknowledgement = acknowledgement
        version += 1
        return .acknowledged(alarms[index])
    }

    /// Acknowledgements kept from before a restart: each goes to the next alarm raised with its junction and kind,
    /// unless a review first finds that condition gone.
    public mutating func carryOver(_ entries: [AcknowledgementStore.Entry]) {
        for entry in entries {
            carried[Key(junctionID: entry.junctionID, kind: entry.kind)] = entry.acknowledgement
        }
    }

    /// Raises and clears alarms for `junctions` at `nowMilliseconds`; returns the junctions whose alarms changed.
    /// A junction never heard from counts as offline once central has run `staleAfterMilliseconds`.
    public mutating func review(
        junctions: [LiveJunction], centralStoreProblem: String?, startedMilliseconds: Int64, nowMilliseconds: Int64,
        staleAfterMilliseconds: Int
    ) -> Set<UInt32> {
        var wanted: [Key: Condition] = [:]
        var silent: Set<UInt32> = []
        var names: [UInt32: String] = [:]
        for junction in junctions {
            names[junction.id] = junction.name
            let heard = junction.lastReportMilliseconds > 0
            let since = heard ? junction.lastReportMilliseconds : startedMilliseconds
            if nowMilliseconds - since > Int64(staleAfterMilliseconds) {
                silent.insert(junction.id)
                let key = Key(junctionID: junction.id, kind: .offline)
                wanted[key] = Condition(key: key, severity: .critical, detail: heard ? nil : "never heard from")
            } else if let status = junction.status {
                for condition in Self.conditions(of: status, junction: junction) { wanted[condition.key] = condition }
            }
        }
        if let centralStoreProblem {
            let key = Key(junctionID: nil, kind: .centralStore)
            wanted[key] = Condition(key: key, severity: .critical, detail: centralStoreProblem)
        }
        if !carried.isEmpty {
            // A junction heard from and not silent has shown what it has; central's own store is always known.
            let known = Set(junctions.filter { $0.status != nil && !silent.contains($0.id) }.map(\.id))
            carried = carried.filter { key, _ in
                wanted[key] != nil || key.junctionID.map { !known.contains($0) } ?? false
            }
        }
        var changed: Set<UInt32> = []
        var anyChange = false
        for index in alarms.indices where alarms[index].clearedMilliseconds == nil {
            let key = Key(junctionID: alarms[index].junctionID, kind: alarms[index].kind)
            if let condition = wanted.removeValue(forKey: key) {
                guard condition.detail != alarms[index].detail || condition.severity != alarms[index].severity
                else { continue }
                alarms[index].detail = condition.detail
                alarms[index].severity = condition.severity
            } else if let id = key.junctionID, silent.contains(id) {
                continue
            } else {
                alarms[index].clearedMilliseconds = nowMilliseconds
            }
            anyChange = true
            if let id = key.junctionID { changed.insert(id) }
        }
        // In a stable order, so alarms raised in one review are numbered the same way every time.
        for condition in wanted.values.sorted(by: { ($0.key.junctionID ?? 0, $0.key.kind.rawValue) < ($1.key.junctionID ?? 0, $1.key.kind.rawValue) }) {
            let id = condition.key.junctionID
            var alarm = CityAlarm(
                number: nextNumber, junctionID: id, junctionName: id.flatMap { names[$0] } ?? "central",
                kind: condition.key.kind, severity: condition.severity, detail: condition.detail,
                raisedMilliseconds: nowMilliseconds)
            alarm.acknowledgement = carried.removeValue(forKey: condition.key)
            alarms.append(alarm)
            nextNumber += 1
            anyChange = true
            if let id { changed.insert(id) }
        }
        guard anyChange else { return [] }
        let cleared = alarms.lazy.filter { $0.clearedMilliseconds != nil }.count
        if cleared > Self.clearedKept {
            var excess = cleared - Self.clearedKept
            alarms.removeAll { alarm in
                guard excess > 0, alarm.clearedMilliseconds != nil else { return false }
                excess -= 1
                return true
            }
        }
        version += 1
        return changed
    }

    /// The standing alarms and the newest cleared ones, worst first: standing before cleared, then by severity,
    /// then unacknowledged before acknowledged, then newest first.
    public var worstFirst: [CityAlarm] {
        alarms.sorted { left, right in
            let leftStanding = left.clearedMilliseconds == nil
            let rightStanding = right.clearedMilliseconds == nil
            if leftStanding != rightStanding { return leftStanding }
            if leftStanding && left.severity != right.severity { return left.severity > right.severity }
            let leftOpen = left.acknowledgement == nil
            if leftStanding && leftOpen != (right.acknowledgement == nil) { return leftOpen }
            let leftTime = left.clearedMilliseconds ?? left.raisedMilliseconds
            let rightTime = right.clearedMilliseconds ?? right.raisedMilliseconds
            return leftTime != rightTime ? leftTime > rightTime : left.number > right.number
        }
    }

    /// What a heard-from junction's report says is wrong.
    private static func conditions(of status: Wire.StatusReport, junction: LiveJunction) -> [Condition] {
        let id = junction.id
        var conditions: [Condition] = []
        func add(_ kind: CityAlarm.Kind, _ severity: CityAlarm.Severity, _ detail: String? = nil) {
            conditions.append(Condition(key: Key(junctionID: id, kind: kind), severity: severity, detail: detail))
        }
        let alarms = status.alarms
        if alarms.contains(.safetyFault) { add(.monitorFault, .critical, status.faultKind?.wireName) }
        if alarms.contains(.flashing) || status.mode == .flash {
            // A start-up flash is every restart's first seconds; a technician's or the schedule's is a decision;
            // the monitor's is a fault.
            let severity: CityAlarm.Severity
            switch status.flashReason {
            case .startup: severity = .minor
            case .faultMonitor: severity = .critical
            case .manual, .automatic, nil: severity = .major
            }
            add(.flash, severity, status.flashReason?.wireName)
        }
        if alarms.contains(.detectorFault) {
            let names = junction.layout?.detectors.map(\.name) ?? []
            let faulty = status.detectors.indices.filter {
                status.detectors[$0].health != .ok || status.detectors[$0].communicationFault
            }.map { $0 < names.count ? names[$0] : "D\($0 + 1)" }
            add(.detectorFault, .major, faulty.isEmpty ? nil : faulty.joined(separator: ", "))
        }
        if alarms.contains(.outputUnconfirmed) { add(.outputUnconfirmed, .major) }
        if alarms.contains(.storeFailing) { add(.junctionStoreFailing, .critical) }
        if alarms.contains(.storeFull) { add(.junctionStoreFull, .major) }
        if alarms.contains(.eventsLost) { add(.eventsLost, .major) }
        if alarms.contains(.centralSilent) { add(.centralSilent, .minor) }
        if alarms.contains(.clockUnsynchronised) { add(.clockUnsynchronised, .minor) }
        let stale = status[.neighboursStale]
        if stale > 0 {
            // Both are the junction's u64 counters: a corrupt pair must not overflow central.
            let (sum, overflow) = stale.addingReportingOverflow(status[.neighboursFresh])
            let total = overflow ? UInt64.max : sum
            add(.neighbourLost, .minor, "\(stale) of \(total) silent; adapting on its own loops")
        }
        return conditions
    }
}
