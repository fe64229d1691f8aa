/// Reads the keys of one TOML table with types and ranges, and names every key it was never asked
/// for, so that a misspelt key is an error rather than a silent default.
///
/// Each lookup marks its key as known. A value of the wrong type, out of range or too long is
/// recorded in `problems` (with its key, position and a sentence) and read as absent, so the
/// caller's default stands and reading goes on: a file's problems are all found in one pass.
/// Callers take the problems with `takeProblems()` and put them in their own vocabulary.
public struct TOMLReader: Sendable {
    /// The table read.
    public let table: TOMLTable
    /// The keys asked for so far, in the order first asked.
    public private(set) var asked: [String] = []
    /// The same keys as `asked`, for lookups: a table may hold a hundred thousand keys (a 1 MB
    /// `[conflicts]`), and searching the list on every lookup made reading it quadratic.
    private var askedSet: Set<String> = []
    private var problems: [TOMLReadProblem] = []

    /// A reader of `table` that has asked for nothing yet.
    public init(_ table: TOMLTable) {
        self.table = table
    }

    /// The keys of the table, in source order.
    public var keys: [String] { table.keys }

    /// Whether the table has `key`; does not mark it as known.
    public func has(_ key: String) -> Bool { table[key] != nil }

    /// The value of `key`, marking the key as known.
    public mutating func value(_ key: String) -> TOMLValue? {
        if askedSet.insert(key).inserted { asked.append(key) }
        return table[key]
    }

    /// The value of `key`, or nil; when `required` and absent, a `missingKey` problem.
    public mutating func present(_ key: String, required: Bool = false) -> TOMLValue? {
        guard let value = value(key) else {
            if required { report(.missingKey, key, "missing required key \"\(key)\"") }
            return nil
        }
        return value
    }

    /// A string.
    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = present(key, required: required) else { return nil }
        if let found = value.string { return found }
        return wrongType(key, value, expected: "a string")
    }

    /// `true` or `false`.
    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = present(key, required: required) else { return nil }
        if let found = value.bool { return found }
        return wrongType(key, value, expected: "true or false")
    }

    /// An integer.
    public mutating func integer(_ key: String, required: Bool = false) -> Int? {
        guard let value = present(key, required: required) else { return nil }
        if let found = value.int { return found }
        return wrongType(key, value, expected: "a whole number")
    }

    /// An integer in `range`; outside it, an `outOfRange` problem "key N is outside lo–hi [unit]".
    public mutating func integer(
        _ key: String, in range: ClosedRange<Int>, unit: String? = nil, required: Bool = false
    ) -> Int? {
        guard let number = integer(key, required: required) else { return nil }
        guard range.contains(number) else {
            let suffix = unit.map { " \($0)" } ?? ""
            report(.outOfRange, key, "\(key) \(number) is outside \(range.lowerBound)–\(range.upperBound)\(suffix)")
            return nil
        }
        return number
    }

    /// A number written as an integer or a float (`2` and `2.5` both read), as a `Double`.
    public mutating func number(_ key: String, required: Bool = false) -> Double? {
        guard let value = present(key, required: required) else { return nil }
        if let whole = value.int { return Double(whole) }
        if let fraction = value.double { return fraction }
        return wrongType(key, value, expected: "a number")
    }

    /// A local date, time or date-time, as written.
    public mutating func dateTime(_ key: String, required: Bool = false) -> TOMLDateTime? {
        guard let value = present(key, required: required) else { return nil }
        if let found = value.dateTime { return found }
        return wrongType(key, value, expected: "a date or time")
    }

    /// The elements of an array, at most `limit` of them (more is a `tooMany` problem).
    public mutating func array(_ key: String, required: Bool = false, limit: Int) -> [TOMLValue]? {
        guard let value = present(key, required: required) else { return nil }
        guard let list = value.array else { return wrongType(key, value, expected: "a list") }
        guard list.count <= limit else {
            report(.tooMany, key, "at most \(limit) entries are allowed, found \(list.count)")
            return nil
        }
        return list
    }

    /// A sub-table.
    public mutating func table(_ key: String, required: Bool = false) -> TOMLTable? {
        guard let value = present(key, required: required) else { return nil }
        if let found = value.table { return found }
        return wrongType(key, value, expected: "a table")
    }

    /// One of a fixed set of words, or nil when the key is absent or the word unknown (an
    /// `invalidValue` problem listing the words).
    public mutating func choice<Choice>(_ key: String, _ options: KeyValuePairs<String, Choice>) -> Choice? {
        guard let word = string(key) else { return nil }
        if let match = options.first(where: { $0.key == word }) { return match.value }
        report(.invalidValue, key, "\"\(word)\" is not one of: \(options.map(\.key).joined(separator: ", "))")
        return nil
    }

    /// Records a problem with `key` (at its position, or at none when the table lacks it).
    public mutating func report(_ kind: TOMLReadProblem.Kind, _ key: String, _ message: String) {
        problems.append(TOMLReadProblem(kind: kind, key: key, position: table[key]?.position, message: message))
    }

    /// An `unknownKey` problem for every key of the table that no lookup asked for, in source
    /// order, each listing the known keys in the order first asked. `context` says what kind of
    /// table this is, so that a key that belongs elsewhere reads as such.
    public mutating func rejectUnknownKeys(context: String? = nil) {
        let known = asked.joined(separator: ", ")
        let what = context.map { " for \($0)" } ?? ""
        for key in table.keys where !askedSet.contains(key) {
            report(.unknownKey, key, "unknown key \"\(key)\"\(what); known keys: \(known)")
        }
    }

    /// Whether a problem was recorded since the last `takeProblems()`.
    public var hasProblems: Bool { !problems.isEmpty }

    /// The problems recorded since the last call, in the order found.
    public mutating func takeProblems() -> [TOMLReadProblem] {
        defer { problems = [] }
        return problems
    }

    private mutating func wrongType<T>(_ key: String, _ value: TOMLValue, expected: String) -> T? {
        report(.wrongType, key, "expected \(expected), found \(value.type)")
        return nil
    }
}
