/// Why a text is not JSON the protocol accepts; offsets are 0-based byte positions in the text.
public enum JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing but whitespace.
    case empty
    /// The text is longer than `JSONLimits.maxBytes`.
    case tooLong(bytes: Int, limit: Int)
    /// Arrays or objects nest deeper than `JSONLimits.maxDepth`.
    case tooDeep(limit: Int, offset: Int)
    /// A string longer than `JSONLimits.maxStringBytes`.
    case stringTooLong(limit: Int, offset: Int)
    /// An array or object with more than `JSONLimits.maxMembers` entries.
    case tooManyMembers(limit: Int, offset: Int)
    /// A byte that cannot start or continue what was being read.
    case unexpectedByte(UInt8, offset: Int, expected: String)
    /// The text ended in the middle of a value.
    case unexpectedEnd(expected: String)
    /// A malformed number (leading zero, missing digits, out of range).
    case invalidNumber(offset: Int)
    /// A bad escape, a raw control character or a lone surrogate in a string.
    case invalidString(offset: Int, reason: String)
    /// Bytes that are not UTF-8.
    case invalidUTF8(offset: Int)
    /// The same key twice in one object.
    case duplicateKey(String, offset: Int)
    /// More than whitespace after the value.
    case trailingData(offset: Int)

    public var description: String {
        switch self {
        case .empty: return "empty line"
        case .tooLong(let bytes, let limit): return "line of \(bytes) bytes is longer than the \(limit)-byte limit"
        case .tooDeep(let limit, let offset): return "nesting deeper than \(limit) levels at byte \(offset)"
        case .stringTooLong(let limit, let offset): return "string longer than \(limit) bytes at byte \(offset)"
        case .tooManyMembers(let limit, let offset): return "more than \(limit) entries in one list or object at byte \(offset)"
        case .unexpectedByte(let byte, let offset, let expected):
            return "unexpected \(Self.show(byte)) at byte \(offset), expected \(expected)"
        case .unexpectedEnd(let expected): return "the line ended early, expected \(expected)"
        case .invalidNumber(let offset): return "malformed number at byte \(offset)"
        case .invalidString(let offset, let reason): return "bad string at byte \(offset): \(reason)"
        case .invalidUTF8(let offset): return "invalid UTF-8 at byte \(offset)"
        case .duplicateKey(let key, let offset): return "key \"\(key)\" appears twice (byte \(offset))"
        case .trailingData(let offset): return "unexpected data after the JSON value at byte \(offset)"
        }
    }

    private static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
