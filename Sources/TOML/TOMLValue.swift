/// One TOML value and where it starts in the source.
///
/// For a value under a key the position is the key's (the start of `key = …` or of the table
/// header); for an array element it is the element's own. Values are plain Swift values: nothing
/// is shared with the parser and nothing outlives its last reference.
public struct TOMLValue: Sendable, Equatable {
    /// What the value is.
    public enum Content: Sendable, Equatable {
        case string(String)
        /// A whole number in the range of `Int` (TOML requires 64 bits).
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case dateTime(TOMLDateTime)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    /// What the value is.
    public var content: Content
    /// Where it starts.
    public var position: TOMLPosition

    /// A value at `position`.
    public init(_ content: Content, at position: TOMLPosition) {
        self.content = content
        self.position = position
    }

    /// The text, when this is a string.
    public var string: String? {
        if case .string(let text) = content { return text }
        return nil
    }

    /// The number, when this is an integer (a float is not converted).
    public var int: Int? {
        if case .integer(let number) = content { return number }
        return nil
    }

    /// The number, when this is a float (an integer is not converted).
    public var double: Double? {
        if case .float(let number) = content { return number }
        return nil
    }

    /// The flag, when this is a boolean.
    public var bool: Bool? {
        if case .boolean(let flag) = content { return flag }
        return nil
    }

    /// The date, time or date-time, when this is one.
    public var dateTime: TOMLDateTime? {
        if case .dateTime(let value) = content { return value }
        return nil
    }

    /// The elements, when this is an array (an array of tables included).
    public var array: [TOMLValue]? {
        if case .array(let elements) = content { return elements }
        return nil
    }

    /// The table, when this is one (a `[table]`, a dotted-key table or an inline table).
    public var table: TOMLTable? {
        if case .table(let table) = content { return table }
        return nil
    }

    /// The TOML name of the value's type, for messages: `string`, `integer`, `float`, `boolean`,
    /// `local date`, `local time`, `local date-time`, `offset date-time`, `array` or `table`.
    public var type: String {
        switch content {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .dateTime(let value): return value.typeName
        case .array: return "array"
        case .table: return "table"
        }
    }
}
