import SignalCore

/// Finds the line of a field in TOML source text, since TOMLKit keeps no positions for values.
///
/// It is deliberately small: it reads `[table]` and `[[array]]` headers and `key =` lines, skips
/// the inside of multi-line arrays, inline tables and strings, and numbers each `[[array]]` entry
/// in order. A field it cannot find exactly is reported at its nearest enclosing key or header.
/// It works on UTF-8 bytes: every character that matters to it is ASCII.
struct KeyLocator {
    private var lineOfSegments: [[String]: Int] = [:]

    init(source: String) {
        var header: [String] = []
        var arrayCounts: [[String]: Int] = [:]
        var openBrackets = 0
        var openString: [UInt8]?
        let bytes = Array(source.utf8)
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: TOMLByte.newline) ?? bytes.count
            lineNumber += 1
            var text = bytes[start..<end]
            start = end + 1
            text = text.drop { $0 == TOMLByte.space || $0 == TOMLByte.tab }
            if let delimiter = openString {
                if Self.count(of: delimiter, in: text) > 0 { openString = nil }
                continue
            }
            if openBrackets > 0 {
                openBrackets = max(0, openBrackets + Self.bracketBalance(text))
                continue
            }
            if text.starts(with: [TOMLByte.openBracket, TOMLByte.openBracket]) {
                guard let keys = Self.keyPath(in: text.dropFirst(2), closing: [TOMLByte.closeBracket, TOMLByte.closeBracket])
                else { continue }
                arrayCounts[keys, default: 0] += 1
                header = Self.resolve(keys, arrayCounts: arrayCounts)
                // The list as a whole is found at its first entry.
                record(Array(header.dropLast()), lineNumber)
                record(header, lineNumber)
            } else if text.first == TOMLByte.openBracket {
                guard let keys = Self.keyPath(in: text.dropFirst(), closing: [TOMLByte.closeBracket]) else { continue }
                header = Self.resolve(keys, arrayCounts: arrayCounts)
                record(header, lineNumber)
            } else if let (keys, rest) = Self.keyLine(text) {
                record(header + keys, lineNumber)
                openBrackets = max(0, Self.bracketBalance(rest))
                for delimiter in [Array(#"""""#.utf8), Array("'''".utf8)]
                where Self.count(of: delimiter, in: rest) % 2 == 1 {
                    openString = delimiter
                }
            }
        }
    }

    /// The line of `path`, or of its nearest enclosing key or header, or nil when none is in the text.
    func line(of path: [JunctionProblem.PathComponent]) -> Int? {
        var segments: [String] = []
        for component in path {
            switch component {
            case .key(let key): segments.append(key)
            case .entry(_, let index): segments.append("#\(index)")
            case .element: break
            }
        }
        while !segments.isEmpty {
            if let line = lineOfSegments[segments] { return line }
            segments.removeLast()
        }
        return nil
    }

    private mutating func record(_ segments: [String], _ line: Int) {
        if lineOfSegments[segments] == nil { lineOfSegments[segments] = line }
    }

    /// Inserts the current entry number after every prefix that names an array of tables.
    private static func resolve(_ keys: [String], arrayCounts: [[String]: Int]) -> [String] {
        var resolved: [String] = []
        for end in keys.indices {
            resolved.append(keys[end])
            if let count = arrayCounts[Array(keys[...end])] { resolved.append("#\(count - 1)") }
        }
        return resolved
    }

    /// The dotted key of a header, such as `nema.phases` in `[[nema.phases]]`.
    private static func keyPath(in text: ArraySlice<UInt8>, closing: [UInt8]) -> [String]? {
        guard let (keys, rest) = dottedKey(text), rest.starts(with: closing) else { return nil }
        return keys
    }

    /// A `key = value` line: its dotted key and the bytes after `=`.
    private static func keyLine(_ text: ArraySlice<UInt8>) -> ([String], ArraySlice<UInt8>)? {
        guard let (keys, rest) = dottedKey(text), rest.first == TOMLByte.equals else { return nil }
        return (keys, rest.dropFirst())
    }

    /// Reads bare (`a-b_1`) and quoted (`"a b"`, `'a'`) key parts joined by dots; the rest starts
    /// after the spaces that follow the key.
    private static func dottedKey(_ text: ArraySlice<UInt8>) -> ([String], ArraySlice<UInt8>)? {
        var keys: [String] = []
        var rest = skipSpaces(text)
        while true {
            if let quote = rest.first, quote == TOMLByte.doubleQuote || quote == TOMLByte.singleQuote {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: quote) else { return nil }
                keys.append(String(decoding: body[..<end], as: UTF8.self))
                rest = body[(end + 1)...]
            } else {
                let bare = rest.prefix(while: TOMLByte.isASCIIBareKey)
                guard !bare.isEmpty else { return nil }
                keys.append(String(decoding: bare, as: UTF8.self))
                rest = rest.dropFirst(bare.count)
            }
            rest = skipSpaces(rest)
            guard rest.first == TOMLByte.dot else { return (keys, rest) }
            rest = skipSpaces(rest.dropFirst())
        }
    }

    private static func skipSpaces(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        text.drop { $0 == TOMLByte.space || $0 == TOMLByte.tab }
    }

    /// Opening minus closing brackets and braces outside strings and comments.
    private static func bracketBalance(_ text: ArraySlice<UInt8>) -> Int {
        var balance = 0
        var quote: UInt8?
        var escaped = false
        for byte in text {
            if let open = quote {
                if escaped {
                    escaped = false
                } else if byte == TOMLByte.backslash && open == TOMLByte.doubleQuote {
                    escaped = true
                } else if byte == open {
                    quote = nil
                }
                continue
            }
            switch byte {
            case TOMLByte.doubleQuote, TOMLByte.singleQuote: quote = byte
            case TOMLByte.openBracket, TOMLByte.openBrace: balance += 1
            case TOMLByte.closeBracket, TOMLByte.closeBrace: balance -= 1
            case TOMLByte.hash: return balance
            default: break
            }
        }
        return balance
    }

    /// Non-overlapping occurrences of `pattern` in `text`.
    private static func count(of pattern: [UInt8], in text: ArraySlice<UInt8>) -> Int {
        var found = 0
        var index = text.startIndex
        while index + pattern.count <= text.endIndex {
            if text[index..<(index + pattern.count)].elementsEqual(pattern) {
                found += 1
                index += pattern.count
            } else {
                index += 1
            }
        }
        return found
    }
}
