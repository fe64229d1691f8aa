/// The one JSON reader for the diagnostic protocol: strict RFC 8259 with hard bounds.
///
/// Guarantees, for any input bytes: it returns a value or throws a `JSONParseError`, never traps;
/// it recurses at most `limits.maxDepth` levels and keeps no string or container beyond the
/// limits. It rejects what lenient readers accept (comments, trailing commas, single quotes,
/// leading zeros, raw control characters in strings, lone surrogates, invalid UTF-8, duplicate
/// keys), so a request means the same thing to every reader.
public struct JSONParser: Sendable {
    /// The bounds every parse is held to.
    public let limits: JSONLimits

    public init(limits: JSONLimits) {
        self.limits = limits
    }

    /// Parses one JSON text, with optional surrounding whitespace.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else { throw .tooLong(bytes: bytes.count, limit: limits.maxBytes) }
        var reader = Reader(bytes: Array(bytes), limits: limits)
        reader.skipWhitespace()
        guard !reader.atEnd else { throw .empty }
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.atEnd else { throw .trailingData(offset: reader.position) }
        return value
    }

    /// Parses the UTF-8 of `text`.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The cursor of one parse.
private struct Reader {
    let bytes: [UInt8]
    let limits: JSONLimits
    var position = 0

    init(bytes: [UInt8], limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func peek(expected: String) throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw .unexpectedEnd(expected: expected) }
        return bytes[position]
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        let byte = try peek(expected: "a value")
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw .unexpectedByte(byte, offset: position, expected: "a value")
        }
    }

    mutating func literal(_ word: StaticString, _ result: JSONValue) throws(JSONParseError) -> JSONValue {
        let text = word.withUTF8Buffer { Array($0) }
        for expected in text {
            let byte = try peek(expected: "\(word)")
            guard byte == expected else { throw .unexpectedByte(byte, offset: position, expected: "\(word)") }
            position += 1
        }
        return result
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw .tooDeep(limit: limits.maxDepth, offset: position) }
        position += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if try peek(expected: "a key or '}'") == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let keyOffset = position
            let byte = try peek(expected: "a key")
            guard byte == UInt8(ascii: "\"") else { throw .unexpectedByte(byte, offset: position, expected: "a key") }
            let key = try string()
            if members.contains(where: { $0.key == key }) { throw .duplicateKey(key, offset: keyOffset) }
            guard members.count < limits.maxMembers else {
                throw .tooManyMembers(limit: limits.maxMembers, offset: keyOffset)
            }
            skipWhitespace()
            let colon = try peek(expected: "':'")
            guard colon == UInt8(ascii: ":") else { throw .unexpectedByte(colon, offset: position, expected: "':'") }
            position += 1
            skipWhitespace()
            members.append(JSONMember(key, try value(depth: depth)))
            skipWhitespace()
            let next = try peek(expected: "',' or '}'")
            position += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else {
                throw .unexpectedByte(next, offset: position - 1, expected: "',' or '}'")
            }
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw .tooDeep(limit: limits.maxDepth, offset: position) }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek(expected: "a value or ']'") == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            guard elements.count < limits.maxMembers else {
                throw .tooManyMembers(limit: limits.maxMembers, offset: position)
            }
            elements.append(try value(depth: depth))
            skipWhitespace()
            let next = try peek(expected: "',' or ']'")
            position += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else {
                throw .unexpectedByte(next, offset: position - 1, expected: "',' or ']'")
            }
        }
    }

    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = position
        var integral = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw .invalidNumber(offset: start) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) { throw .invalidNumber(offset: start) }
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw .invalidNumber(offset: start) }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            integral = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw .invalidNumber(offset: start) }
            skipDigits()
        }
        // Longer numerals carry no meaning the protocol could use; the bound keeps the conversion cheap.
        guard position - start <= 64 else { throw .invalidNumber(offset: start) }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let whole = Int(text) { return .integer(whole) }
        guard let real = Double(text), real.isFinite else { throw .invalidNumber(offset: start) }
        return .number(real)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    /// Reads a string starting at its opening quote.
    mutating func string() throws(JSONParseError) -> String {
        let start = position
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { throw .unexpectedEnd(expected: "the end of a string") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8(offset: start) }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0..<0x20:
                throw .invalidString(offset: position - 1, reason: "raw control character (escape it)")
            default:
                utf8.append(byte)
            }
            guard utf8.count <= limits.maxStringBytes else {
                throw .stringTooLong(limit: limits.maxStringBytes, offset: start)
            }
        }
    }

    mutating func escape(into utf8: inout [UInt8]) throws(JSONParseError) {
        let offset = position - 1
        guard position < bytes.count else { throw .unexpectedEnd(expected: "an escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4(offset: offset)
            if (0xD800...0xDBFF).contains(code) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw .invalidString(offset: offset, reason: "a high surrogate without its low half") }
                position += 2
                let low = try hex4(offset: offset)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw .invalidString(offset: offset, reason: "a high surrogate without its low half")
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(code) {
                throw .invalidString(offset: offset, reason: "a lone low surrogate")
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw .invalidString(offset: offset, reason: "not a Unicode scalar")
            }
            utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw .invalidString(offset: offset, reason: "unknown escape")
        }
    }

    mutating func hex4(offset: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw .unexpectedEnd(expected: "four hex digits") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .invalidString(offset: offset, reason: "\\u needs four hex digits")
            }
            code = code << 4 | UInt32(digit)
            position += 1
        }
        return code
    }
}
