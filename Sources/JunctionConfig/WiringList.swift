import SignalCore

/// One wiring list of a backend's section (`[[gpio.detectors]]`, `[[modbus.lamps]]`), matched to
/// what it wires: each entry to the detector or signal group it names, at most once.
///
/// It reports, in the same words for every backend: a list given while `[field]` gives its side to
/// another backend; a name that is no detector or group (with the names there are); a second entry
/// for one detector or group; and, once the entries are read, every detector or group left without
/// an entry.
struct WiringList {
    /// What the entries of a list name.
    enum Subject {
        case detectors
        case groups
    }

    let section: FieldSelection.Backend
    let subject: Subject
    let junction: Junction
    let log: ProblemLog
    /// The entry (0-based) that took each detector or group.
    private var entryOf: [Int: Int] = [:]

    init(_ section: FieldSelection.Backend, _ subject: Subject, junction: Junction, log: ProblemLog) {
        self.section = section
        self.subject = subject
        self.junction = junction
        self.log = log
    }

    /// `gpio.detectors`, `modbus.lamps`: where the list's problems are reported.
    var path: [JunctionProblem.PathComponent] { [.key(section.rawValue), .key(listKey)] }

    /// Whether `[field]` gives this list's side (detectors or outputs) to the list's backend; when
    /// it does not, a list that was given anyway (`given`) is reported.
    func isInUse(_ field: FieldSelection, given: Bool) -> Bool {
        let served = subject == .detectors ? field.detectors : field.outputs
        guard served == section else {
            if given {
                log.report(.layout, path, "\(title) are given but field.\(fieldKey) is \"\(served.rawValue)\"")
            }
            return false
        }
        return true
    }

    /// The detector or group that entry `index` names as `name`, at `entryPath`, the first time
    /// an entry names it; nil, with the problem reported, for an unknown name or a second entry. An
    /// empty name is not reported again: the missing key was.
    mutating func match(_ name: String, entry index: Int, at entryPath: [JunctionProblem.PathComponent], wired: String)
        -> Int?
    {
        let found =
            subject == .detectors ? junction.detectors.firstIndex { $0.name == name } : junction.groupIndex(named: name)
        guard let found else {
            if !name.isEmpty {
                log.report(
                    .unknownName, entryPath + [.key(nameKey)],
                    "\"\(name)\" is not a \(noun) (\(plural): \(names.joined(separator: ", ")))")
            }
            return nil
        }
        if let first = entryOf[found] {
            log.report(
                .invalidValue, entryPath + [.key(nameKey)],
                "\(nameKey) \(name) already has \(wired) (entry \(first + 1) of \(title))")
            return nil
        }
        entryOf[found] = index
        return found
    }

    /// Reports every detector or group that no entry named.
    func reportUnwired() {
        for (index, name) in names.enumerated() where entryOf[index] == nil {
            log.report(
                .missingKey, path,
                "\(nameKey) \(name) has no \(title) entry, but field.\(fieldKey) is \"\(section.rawValue)\"")
        }
    }

    private var listKey: String { subject == .detectors ? "detectors" : "lamps" }
    private var title: String { "[[\(section.rawValue).\(listKey)]]" }
    private var fieldKey: String { subject == .detectors ? "detectors" : "outputs" }
    private var nameKey: String { subject == .detectors ? "detector" : "group" }
    private var noun: String { subject == .detectors ? "detector" : "signal group" }
    private var plural: String { subject == .detectors ? "detectors" : "groups" }
    private var names: [String] {
        subject == .detectors ? junction.detectors.map(\.name) : junction.groups.map(\.name)
    }
}
