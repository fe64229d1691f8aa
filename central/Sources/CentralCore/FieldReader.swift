import TOMLKit

/// Reads typed keys of one TOML table for the city config and reports the keys nobody asked for.
struct FieldReader {
    private let table: TOMLTable
    private let path: String
    private var asked: Set<String> = []
    private(set) var problems: [String] = []

    init(table: TOMLTable, path: String) {
        self.table = table
        self.path = path
    }

    mutating func problem(_ key: String, _ message: String) {
        problems.append("\(path).\(key): \(message)")
    }

    func has(_ key: String) -> Bool { table[key] != nil }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = present(key, required: required) else { return nil }
        guard let text = value.string else {
            problem(key, "expected a string")
            return nil
        }
        return text
    }

    mutating func integer(_ key: String, range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = present(key, required: required) else { return nil }
        guard let number = value.int, range.contains(number) else {
            problem(key, "expected a whole number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return number
    }

    /// A duration written in seconds (whole or decimal), as milliseconds within `range`.
    mutating func milliseconds(_ key: String, range: ClosedRange<Int>) -> Int? {
        let seconds = key + "_seconds"
        guard let value = present(seconds, required: false) else { return nil }
        let number = value.double ?? value.int.map(Double.init)
        guard let number, number.isFinite, number * 1000 >= Double(range.lowerBound),
            number * 1000 <= Double(range.upperBound)
        else {
            problem(seconds, "expected seconds in \(Double(range.lowerBound) / 1000)...\(range.upperBound / 1000)")
            return nil
        }
        return Int((number * 1000).rounded())
    }

    /// The problems found, plus one for every key of the table that was never read.
    mutating func finish() -> [String] {
        for key in table.keys.sorted() where !asked.contains(key) {
            problem(key, "unknown key; this table accepts \(asked.sorted().joined(separator: ", "))")
        }
        return problems
    }

    private mutating func present(_ key: String, required: Bool) -> TOMLValueConvertible? {
        asked.insert(key)
        guard let value = table[key] else {
            if required { problem(key, "required") }
            return nil
        }
        return value
    }
}
