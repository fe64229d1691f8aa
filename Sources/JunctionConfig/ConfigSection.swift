import SignalCore
import TOML

/// The top-level sections a junction file may hold, with the reader of each.
///
/// Any other top-level key is rejected. A new section (field I/O wiring, network peers) is one
/// more case here, its line in `read`, and a field for its result in `ConfigDraft`.
enum ConfigSection: String, CaseIterable {
    case junction
    case startup
    case groups
    case conflicts
    case intergreen
    case stages
    case detectors
    case plans
    case nema
    case field
    case daemon
    case diagnostics
    case sumo
    case adaptive
    case modbus
    case gpio
    case upstream
    case snmp
    case neighbours
    case schedule
    case preempt

    /// The sections every file must have: `[junction]` carries the junction's name.
    static let required: [ConfigSection] = [.junction]

    /// How many entries a list section may hold: well above any real junction, low enough that a
    /// corrupt or hostile file cannot make the controller's matrices large.
    var entryLimit: Int {
        switch self {
        case .groups, .stages: return 64
        case .detectors: return 128
        case .plans: return 32
        case .preempt: return 16
        case .junction, .startup, .conflicts, .intergreen, .nema, .field, .daemon, .diagnostics, .sumo, .adaptive,
            .modbus, .gpio, .upstream, .snmp, .neighbours, .schedule:
            return 0
        }
    }

    /// Reads this section's value into `draft`, reporting problems to `log`.
    func read(_ value: TOMLValue, into draft: inout ConfigDraft, log: ProblemLog) {
        switch self {
        case .junction: JunctionSection.read(table(value, log), into: &draft)
        case .startup: StartupSection.read(table(value, log), into: &draft)
        case .groups: entries(value, log, &draft).forEach { draft.groups.append(GroupSection.read($0)) }
        case .conflicts: ConflictsSection.read(table(value, log), into: &draft)
        case .intergreen: IntergreenSection.read(table(value, log), into: &draft)
        case .stages: entries(value, log, &draft).forEach { draft.stages.append(StageSection.read($0)) }
        case .detectors: entries(value, log, &draft).forEach { draft.detectors.append(DetectorSection.read($0)) }
        case .plans: entries(value, log, &draft).forEach { draft.plans.append(PlanSection.read($0)) }
        case .nema: draft.nema = NemaSection.read(table(value, log))
        case .field: FieldSection.read(table(value, log), into: &draft)
        case .daemon: DaemonSection.read(table(value, log), into: &draft)
        case .diagnostics: DiagnosticsSection.read(table(value, log), into: &draft)
        case .sumo: SumoSection.read(table(value, log), into: &draft)
        case .adaptive: AdaptiveSection.read(table(value, log), into: &draft)
        case .modbus: ModbusSection.read(table(value, log), into: &draft)
        case .gpio: GPIOSection.read(table(value, log), into: &draft)
        case .upstream: UpstreamSection.read(table(value, log), into: &draft)
        case .snmp: SNMPSection.read(table(value, log), into: &draft)
        case .neighbours: NeighboursSection.read(table(value, log), into: &draft)
        case .schedule: ScheduleSection.read(table(value, log), directory: draft.directory, into: &draft)
        case .preempt: entries(value, log, &draft).forEach { draft.preempts.append(PreemptSection.read($0)) }
        }
    }

    /// A reader for a `[table]` section, or nil (reported) when the value is not a table.
    private func table(_ value: TOMLValue, _ log: ProblemLog) -> TableReader? {
        guard let table = value.table else {
            log.report(.wrongType, [.key(rawValue)], "expected a [\(rawValue)] table, found \(value.type)")
            return nil
        }
        return TableReader(table: table, path: [.key(rawValue)], log: log)
    }

    /// Readers for the entries of a `[[list]]` section; reported and empty when it is not one, and
    /// also marked in `draft.overLimit` when it has more than `entryLimit` entries.
    private func entries(_ value: TOMLValue, _ log: ProblemLog, _ draft: inout ConfigDraft) -> [TableReader] {
        guard let list = value.array else {
            log.report(.wrongType, [.key(rawValue)], "expected [[\(rawValue)]] entries, found \(value.type)")
            return []
        }
        guard list.count <= entryLimit else {
            log.report(.tooMany, [.key(rawValue)], "at most \(entryLimit) [[\(rawValue)]] entries are allowed")
            draft.overLimit.insert(self)
            return []
        }
        var readers: [TableReader] = []
        for (index, element) in list.enumerated() {
            let path: [JunctionProblem.PathComponent] = [.key(rawValue), .entry(name: "", index: index)]
            guard let table = element.table else {
                log.report(.wrongType, path, "expected a table, found \(element.type)")
                continue
            }
            readers.append(TableReader(table: table, path: path, log: log))
        }
        return readers
    }
}
