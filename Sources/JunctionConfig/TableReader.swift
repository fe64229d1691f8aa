import SignalCore
import TOML

/// Reads the keys of one table of a junction file: `TOMLReader`'s typed lookups and unknown-key
/// rejection, with each problem reported at its field's path, plus the junction file's own units
/// (times in seconds with at most one decimal, as tenths) and names.
final class TableReader {
    /// The largest time the loader converts, in seconds; anything longer is a mistake, and the
    /// bound keeps the conversion to tenths far from overflow.
    static let largestSeconds = 100_000.0

    private var reader: TOMLReader
    private(set) var path: [JunctionProblem.PathComponent]
    let log: ProblemLog

    init(table: TOMLTable, path: [JunctionProblem.PathComponent], log: ProblemLog) {
        self.reader = TOMLReader(table)
        self.path = path
        self.log = log
    }

    /// The raw value of `key`, marking the key as known.
    func value(_ key: String) -> TOMLValue? { reader.value(key) }

    func has(_ key: String) -> Bool { reader.has(key) }

    /// Every key of the table, in file order.
    var keys: [String] { reader.keys }

    func report(_ kind: ConfigProblem.Kind, _ key: String?, _ message: String) {
        log.report(kind, key.map { path + [.key($0)] } ?? path, message)
    }

    /// Replaces the last path component, once an entry's name is known.
    func rename(_ component: JunctionProblem.PathComponent) {
        path[path.count - 1] = component
    }

    /// Reads `name`, a non-empty string, and names this entry's path after it (after its number
    /// when the name is unusable, so that messages do not carry it).
    func readName() -> String {
        let name = self.name("name", required: true) ?? ""
        if name.isEmpty && has("name") {
            report(.invalidValue, "name", "name must not be empty")
        }
        if case .entry(_, let index)? = path.last, PrintableText.nameProblem(name) == nil {
            rename(.entry(name: name, index: index))
        }
        return name
    }

    /// A string that names something or is an id (`PrintableText.nameProblem`): an unusable one is
    /// reported, without quoting it, and still returned, so that references to it resolve and
    /// raise no echoes.
    func name(_ key: String, required: Bool = false, longest: Int = PrintableText.longestName) -> String? {
        guard let name = string(key, required: required) else { return nil }
        if let problem = PrintableText.nameProblem(name, longest: longest) {
            report(.invalidValue, key, "\(key) \(problem)")
        }
        return name
    }

    func string(_ key: String, required: Bool = false) -> String? {
        read { $0.string(key, required: required) }
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        read { $0.bool(key, required: required) }
    }

    func integer(_ key: String, required: Bool = false) -> Int? {
        read { $0.integer(key, required: required) }
    }

    /// A number written as an integer or a float, as a `Double`.
    func number(_ key: String, required: Bool = false) -> Double? {
        read { $0.number(key, required: required) }
    }

    /// A whole number that must lie in `range`. Out of range it is reported as
    /// "key N is outside lo–hi [unit]" and read as absent, so the caller's default stands.
    func integer(_ key: String, in range: ClosedRange<Int>, unit: String? = nil) -> Int? {
        read { $0.integer(key, in: range, unit: unit) }
    }

    /// A time written in seconds with at most one decimal, as tenths.
    func seconds(_ key: String, required: Bool = false) -> Tenths? {
        guard let value = read({ $0.present(key, required: required) }) else { return nil }
        return tenths(value, key: key, at: nil)
    }

    /// A list of names such as group or stage names.
    func names(_ key: String, required: Bool = false, limit: Int) -> [String]? {
        list(key, required: required, limit: limit, expected: "a name (string)") { $0.string }
    }

    /// A list of times in seconds, as tenths; elements that fail are reported and left out.
    func secondsList(_ key: String, required: Bool = false, limit: Int) -> [Tenths]? {
        guard let list = array(key, required: required, limit: limit) else { return nil }
        return list.enumerated().compactMap { index, element in tenths(element, key: key, at: index) }
    }

    /// A list of whole numbers.
    func integers(_ key: String, required: Bool = false, limit: Int) -> [Int]? {
        list(key, required: required, limit: limit, expected: "a whole number") { $0.int }
    }

    /// The elements of the list `key` that `convert` accepts; each other element is reported as not
    /// being `expected` and left out.
    private func list<Element>(
        _ key: String, required: Bool, limit: Int, expected: String, _ convert: (TOMLValue) -> Element?
    ) -> [Element]? {
        guard let list = array(key, required: required, limit: limit) else { return nil }
        var elements: [Element] = []
        for (index, element) in list.enumerated() {
            guard let converted = convert(element) else {
                log.report(.wrongType, path + [.key(key), .element(index)], "expected \(expected), found \(element.type)")
                continue
            }
            elements.append(converted)
        }
        return elements
    }

    /// The elements of an array value, at most `limit` of them.
    func array(_ key: String, required: Bool = false, limit: Int) -> [TOMLValue]? {
        read { $0.array(key, required: required, limit: limit) }
    }

    /// Readers for the tables of the list `key` (at most `limit`), each with its 0-based
    /// position; an element that is not a table is reported and skipped.
    func entries(_ key: String, limit: Int) -> [(Int, TableReader)] {
        guard let list = array(key, limit: limit) else { return [] }
        var readers: [(Int, TableReader)] = []
        for (index, element) in list.enumerated() {
            let path = self.path + [.key(key), .entry(name: "", index: index)]
            guard let table = element.table else {
                log.report(.wrongType, path, "expected a table, found \(element.type)")
                continue
            }
            readers.append((index, TableReader(table: table, path: path, log: log)))
        }
        return readers
    }

    /// A sub-table.
    func table(_ key: String, required: Bool = false) -> TOMLTable? {
        read { $0.table(key, required: required) }
    }

    /// One of a fixed set of words, or `fallback` when the key is absent or the word unknown.
    func choice<Choice>(_ key: String, _ options: KeyValuePairs<String, Choice>, default fallback: Choice) -> Choice {
        choice(key, options) ?? fallback
    }

    /// One of a fixed set of words, or nil when the key is absent or the word unknown (reported).
    func choice<Choice>(_ key: String, _ options: KeyValuePairs<String, Choice>) -> Choice? {
        read { $0.choice(key, options) }
    }

    /// Reports every key of the table that no reader asked for. `context` says what kind of
    /// table this is, so that a key that belongs elsewhere (a vehicle key on a pedestrian group)
    /// reads as such.
    func rejectUnknownKeys(context: String? = nil) {
        read { $0.rejectUnknownKeys(context: context) }
    }

    /// Runs one lookup and reports what it found wrong at the key's path.
    private func read<Result>(_ lookup: (inout TOMLReader) -> Result) -> Result {
        let result = lookup(&reader)
        for problem in reader.takeProblems() {
            log.report(Self.kind(of: problem.kind), path + [.key(problem.key)], problem.message)
        }
        return result
    }

    private static func kind(of kind: TOMLReadProblem.Kind) -> ConfigProblem.Kind {
        switch kind {
        case .missingKey: return .missingKey
        case .wrongType: return .wrongType
        case .outOfRange: return .outOfRange
        case .tooMany: return .tooMany
        case .invalidValue: return .invalidValue
        case .unknownKey: return .unknownKey
        }
    }

    private func tenths(_ value: TOMLValue, key: String, at index: Int?) -> Tenths? {
        let fieldPath = path + [.key(key)] + (index.map { [.element($0)] } ?? [])
        let seconds: Double
        if let whole = value.int {
            seconds = Double(whole)
        } else if let fraction = value.double {
            seconds = fraction
        } else {
            log.report(.wrongType, fieldPath, "expected a time in seconds, found \(value.type)")
            return nil
        }
        guard seconds.isFinite, seconds.magnitude <= Self.largestSeconds else {
            log.report(.outOfRange, fieldPath, "\(seconds) s is not a usable time (at most \(Int(Self.largestSeconds)) s)")
            return nil
        }
        let scaled = seconds * 10
        let rounded = scaled.rounded()
        // Binary fractions make 0.1 × 10 slightly off one, by far less than 1e-9 for any time up to
        // `largestSeconds`; a real further decimal is off by more (2.9999999 s by 1e-6).
        guard (scaled - rounded).magnitude < 1e-9 else {
            log.report(.precision, fieldPath, "\(seconds) s is finer than a tenth of a second")
            return nil
        }
        return Tenths(rounded)
    }
}
