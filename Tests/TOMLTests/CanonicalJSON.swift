import TOML

/// A parsed document as the canonical JSON `tomllib_canonical.py` prints for Python's tomllib:
/// each value tagged with its type, keys sorted by code point, floats as their IEEE bits, dates
/// and times in one fixed form, JSON escaped to ASCII as Python's `json.dumps` does.
enum CanonicalJSON {
    static func text(_ table: TOMLTable) -> String {
        let members = table.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            .map { quoted($0) + ":" + text(table[$0]!) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func text(_ value: TOMLValue) -> String {
        switch value.content {
        case .boolean(let flag): return tagged("bool", flag ? "true" : "false")
        case .integer(let number): return tagged("int", quoted(String(number)))
        case .float(let number):
            let bits = String(number.bitPattern, radix: 16)
            return tagged("float", quoted(number.isNaN ? "nan" : String(repeating: "0", count: 16 - bits.count) + bits))
        case .string(let text): return tagged("string", quoted(text))
        case .array(let elements): return "[" + elements.map(text).joined(separator: ",") + "]"
        case .table(let table): return text(table)
        case .dateTime(let value):
            let date = value.date.map { "\(digits($0.year, 4))-\(digits($0.month, 2))-\(digits($0.day, 2))" }
            let time = value.time.map {
                "\(digits($0.hour, 2)):\(digits($0.minute, 2)):\(digits($0.second, 2)).\(digits($0.nanosecond / 1000, 6))"
            }
            switch (date, time) {
            case (let date?, nil): return tagged("date", quoted(date))
            case (nil, let time?): return tagged("time", quoted(time))
            case (let date?, let time?):
                let offset = value.offsetMinutes.map { $0 >= 0 ? "+\($0)" : "\($0)" } ?? ""
                return tagged("datetime", quoted("\(date)T\(time)\(offset)"))
            case (nil, nil): return "null"
            }
        }
    }

    private static func tagged(_ tag: String, _ body: String) -> String { "{\"\(tag)\":\(body)}" }

    private static func digits(_ number: Int, _ count: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, count - text.count)) + text
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x08: result += "\\b"
            case 0x0C: result += "\\f"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return result + "\""
    }
}
