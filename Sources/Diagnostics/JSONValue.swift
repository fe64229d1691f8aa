/// A JSON value as the diagnostic protocol reads and writes it.
///
/// Numbers keep their kind: a whole number that fits `Int` is `.integer`, anything else is
/// `.number`. Object members keep their order, so a line written twice reads the same.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The value of member `key` of an object; nil for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The value with `transform` applied to every string value (not to object keys, which name
    /// fields and are matched by the decoders).
    public func mappingStrings(_ transform: (String) -> String) -> JSONValue {
        switch self {
        case .null, .bool, .integer, .number: return self
        case .string(let string): return .string(transform(string))
        case .array(let elements): return .array(elements.map { $0.mappingStrings(transform) })
        case .object(let members):
            return .object(members.map { JSONMember($0.key, $0.value.mappingStrings(transform)) })
        }
    }

    /// A short name of the value's kind, for error messages ("a string", "an object").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The value as compact JSON text, without a trailing newline.
    public var serialized: String {
        var text = ""
        write(into: &text)
        return text
    }

    /// Appends the compact JSON text of the value to `text`.
    public func write(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .integer(let number): text += String(number)
        case .number(let number):
            // JSON has no NaN or infinity; null is what JavaScript writes for them too.
            text += number.isFinite ? "\(number)" : "null"
        case .string(let string): Self.writeString(string, into: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                Self.writeString(member.key, into: &text)
                text += ":"
                member.value.write(into: &text)
            }
            text += "}"
        }
    }

    /// Writes `string` quoted, escaping quotes, backslashes, every control character and the
    /// other scalars a terminal acts on (`DisplayText.isUnsafe`: DEL, C1, bidirectional controls,
    /// line separators), so the result stays one protocol line and can be printed as it is.
    static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where DisplayText.isUnsafe(scalar):
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The member's name; unique within its object.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
