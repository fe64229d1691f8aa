import SignalCore
import TOMLKit

/// Reads the keys of one TOML table with types, units and ranges, and reports every key it was
/// never asked for as unknown, so a misspelt key is an error rather than a silent default.
final class TableReader {
    /// The largest time the loader converts, in seconds; anything longer is a mistake, and the
    /// bound keeps the conversion to tenths far from overflow.
    static let largestSeconds = 100_000.0

    private let table: TOMLTable
    private(set) var path: [JunctionProblem.PathComponent]
    let log: ProblemLog
    private var asked: [String] = []

    init(table: TOMLTable, path: [JunctionProblem.PathComponent], log: ProblemLog) {
        self.table = table
        self.path = path
        self.log = log
    }

    /// The raw value of `key`, marking the key as known.
    func value(_ key: String) -> TOMLValueConvertible? {
        if !asked.contains(key) { asked.append(key) }
        return table[key]
    }

    func has(_ key: String) -> Bool { table[key] != nil }

    /// Every key of the table, in TOMLKit's (sorted) order.
    var keys: [String] { table.keys }

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
    func name(_ key: String, required: Bool = false) -> String? {
        guard let name = string(key, required: required) else { return nil }
        if let problem = PrintableText.nameProblem(name) {
            report(.invalidValue, key, "\(key) \(problem)")
        }
        return name
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = present(key, required: required) else { return nil }
        guard let text = value.string else {
            return wrongType(key, value, expected: "a string")
        }
        return text
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = present(key, required: required) else { return nil }
        guard let flag = value.bool else {
            return wrongType(key, value, expected: "true or false")
        }
        return flag
    }

    func integer(_ key: String, required: Bool = false) -> Int? {
        guard let value = present(key, required: required) else { return nil }
        guard let number = value.int else {
            return wrongType(key, value, expected: "a whole number")
        }
        return number
    }

    /// A whole number that must lie in `range`. Out of range it is reported as
    /// "key N is outside lo–hi [unit]" and read as absent, so the caller's default stands.
    func integer(_ key: String, in range: ClosedRange<Int>, unit: String? = nil) -> Int? {
        guard let number = integer(key) else { return nil }
        guard range.contains(number) else {
            let suffix = unit.map { " \($0)" } ?? ""
            report(.outOfRange, key, "\(key) \(number) is outside \(range.lowerBound)–\(range.upperBound)\(suffix)")
            return nil
        }
        return number
    }

    /// A time written in seconds with at most one decimal, as tenths.
    func seconds(_ key: String, required: Bool = false) -> Tenths? {
        guard let value = present(key, required: required) else { return nil }
        return tenths(value, key: key, at: nil)
    }

    /// A list of names such as group or stage names.
    func names(_ key: String, required: Bool = false, limit: Int) -> [String]? {
        guard let list = array(key, required: required, limit: limit) else { return nil }
        var names: [String] = []
        for (index, element) in list.enumerated() {
            guard let name = element.string else {
                log.report(
                    .wrongType, path + [.key(key), .element(index)],
                    "expected a name (string), found \(element.type)")
                continue
            }
            names.append(name)
        }
        return names
    }

    /// A list of times in seconds, as tenths; elements that fail are reported and left out.
    func secondsList(_ key: String, required: Bool = false, limit: Int) -> [Tenths]? {
        guard let list = array(key, required: required, limit: limit) else { return nil }
        return list.enumerated().compactMap { index, element in tenths(element, key: key, at: index) }
    }

    /// A list of whole numbers.
    func integers(_ key: String, required: Bool = false, limit: Int) -> [Int]? {
        guard let list = array(key, required: required, limit: limit) else { return nil }
        var numbers: [Int] = []
        for (index, element) in list.enumerated() {
            guard let number = element.int else {
                log.report(
                    .wrongType, path + [.key(key), .element(index)],
                    "expected a whole number, found \(element.type)")
                continue
            }
            numbers.append(number)
        }
        return numbers
    }

    /// The elements of an array value, at most `limit` of them.
    func array(_ key: String, required: Bool = false, limit: Int) -> [TOMLValueConvertible]? {
        guard let value = present(key, required: required) else { return nil }
        guard let list = value.array else {
            return wrongType(key, value, expected: "a list")
        }
        guard list.count <= limit else {
            report(.tooMany, key, "at most \(limit) entries are allowed, found \(list.count)")
            return nil
        }
        return Array(list)
    }

    /// A sub-table.
    func table(_ key: String, required: Bool = false) -> TOMLTable? {
        guard let value = present(key, required: required) else { return nil }
        guard let table = value.table else {
            return wrongType(key, value, expected: "a table")
        }
        return table
    }

    /// One of a fixed set of words, or `fallback` when the key is absent or the word unknown.
    func choice<Choice>(_ key: String, _ options: KeyValuePairs<String, Choice>, default fallback: Choice) -> Choice {
        choice(key, options) ?? fallback
    }

    /// One of a fixed set of words, or nil when the key is absent or the word unknown (reported).
    func choice<Choice>(_ key: String, _ options: KeyValuePairs<String, Choice>) -> Choice? {
        guard let word = string(key) else { return nil }
        if let match = options.first(where: { $0.key == word }) { return match.value }
        report(.invalidValue, key, "\"\(word)\" is not one of: \(options.map(\.key).joined(separator: ", "))")
        return nil
    }

    /// Reports every key of the table that no reader asked for. `context` says what kind of
    /// table this is, so that a key that belongs elsewhere (a vehicle key on a pedestrian group)
    /// reads as such.
    func rejectUnknownKeys(context: String? = nil) {
        for key in table.keys where !asked.contains(key) {
            let known = asked.joined(separator: ", ")
            let what = context.map { " for \($0)" } ?? ""
            log.report(.unknownKey, path + [.key(key)], "unknown key \"\(key)\"\(what); known keys: \(known)")
        }
    }

    private func present(_ key: String, required: Bool) -> TOMLValueConvertible? {
        guard let value = value(key) else {
            if required { report(.missingKey, key, "missing required key \"\(key)\"") }
            return nil
        }
        return value
    }

    private func wrongType<T>(_ key: String, _ value: TOMLValueConvertible, expected: String) -> T? {
        report(.wrongType, key, "expected \(expected), found \(value.type)")
        return nil
    }

    private func tenths(_ value: TOMLValueConvertible, key: String, at index: Int?) -> Tenths? {
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
            log.report(.outOfRange, fieldPath, "\(seconds) s is not a usable time")
            return nil
        }
        let scaled = seconds * 10
        let rounded = scaled.rounded()
        // Binary fractions make 0.1 × 10 slightly off one; a real second decimal is off by ≥ 0.1.
        guard (scaled - rounded).magnitude < 1e-6 else {
            log.report(.precision, fieldPath, "\(seconds) s is finer than a tenth of a second")
            return nil
        }
        return Tenths(rounded)
    }
}
