/// Reads TOML 1.0 text into a `TOMLTable`.
///
/// Strict, as the specification asks: a key or table defined twice, a table extended where TOML
/// forbids it, a bad escape, number or date, or a control character is an error naming its line
/// and column; a key defined twice in an entry of an array of tables names the entry
/// (`groups.#2.amber`). One byte-order mark (U+FEFF) at the very start is skipped; anywhere else it
/// is refused like any character out of place. Work is proportional to the text's length (one pass,
/// no backtracking beyond a token), and `TOMLLimits` bound key paths and nesting, so hostile text
/// can neither take long nor exhaust the stack. It needs nothing but the standard library.
public enum TOMLParser {
    /// The document in `source`, or the first problem in it.
    public static func parse(_ source: String, limits: TOMLLimits = TOMLLimits()) throws(TOMLSyntaxError) -> TOMLTable {
        var bytes = Array(source.utf8)
        // Accepted rather than refused: many Windows editors start a UTF-8 file with a BOM, TOML 1.0
        // asks for "a valid UTF-8 encoded Unicode document", which its authors meant to allow one
        // (toml-lang/toml#437), and common parsers (toml-rs, BurntSushi/toml) read it. Dropped before
        // anything is read, so columns on line 1 count from the first real character.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var reader = ParserState(bytes: bytes, limits: limits)
        return try reader.document()
    }
}

/// The parser's cursor and the document being built. Works on UTF-8 bytes: every character that
/// shapes TOML is ASCII, and the text is valid UTF-8 because it came from a `String`.
struct ParserState {
    private let bytes: [UInt8]
    private let limits: TOMLLimits
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// The last column computed and its byte index, so that columns cost O(1) amortised.
    private var counted = (index: 0, column: 1)
    private let root = TableBuilder(origin: .header, position: TOMLPosition(line: 1, column: 1))

    init(bytes: [UInt8], limits: TOMLLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: - Document

    mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
        try screenCharacters()
        var section = root
        var sectionKeys: [String] = []
        var sectionName = ""
        while true {
            skipSpaces()
            switch current {
            case 0 where atEnd:
                return root.freeze()
            case Byte.hash, Byte.newline, Byte.carriageReturn:
                try endOfLine()
            case Byte.openBracket:
                (section, sectionKeys, sectionName) = try header()
            default:
                try keyValue(into: section, depth: sectionKeys.count, tableName: sectionName)
                try endOfLine()
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`: the table it opens, its keys, and its name for messages.
    private mutating func header() throws(TOMLSyntaxError) -> (TableBuilder, [String], String) {
        let start = position()
        index += 1
        let isArray = current == Byte.openBracket
        if isArray { index += 1 }
        let keys = try key(depth: 0)
        skipSpaces()
        let closing = isArray ? "]]" : "]"
        guard current == Byte.closeBracket, !isArray || peek(1) == Byte.closeBracket else {
            throw problem(.syntax, "expected \"\(closing)\" to close the table header, found \(describeCurrent())")
        }
        index += isArray ? 2 : 1
        try endOfLine()
        let (table, name) = try open(keys, at: start, isArray: isArray)
        return (table, keys, name)
    }

    /// After a value or header: spaces, an optional comment, then a line end or the end of text.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipSpaces()
        if current == Byte.hash { skipComment() }
        if current == Byte.carriageReturn { index += 1 }
        if current == Byte.newline {
            nextLine()
        } else if !atEnd {
            throw problem(.syntax, "expected the end of the line, found \(describeCurrent())")
        }
    }

    // MARK: - Keys and tables

    /// A dotted key such as `a."b c".'d'`, with spaces around the dots; `depth` parts are already
    /// above it. The cursor is left after the key.
    private mutating func key(depth: Int) throws(TOMLSyntaxError) -> [String] {
        var keys: [String] = []
        while true {
            skipSpaces()
            if depth + keys.count >= limits.deepestKeyPath {
                throw problem(.tooDeep, "this key path (with its table's) has more than \(limits.deepestKeyPath) keys")
            }
            switch current {
            case Byte.doubleQuote:
                guard !(peek(1) == Byte.doubleQuote && peek(2) == Byte.doubleQuote) else {
                    throw problem(.syntax, "a key cannot be a multi-line string")
                }
                keys.append(try basicString())
            case Byte.singleQuote:
                guard !(peek(1) == Byte.singleQuote && peek(2) == Byte.singleQuote) else {
                    throw problem(.syntax, "a key cannot be a multi-line string")
                }
                keys.append(try literalString())
            default:
                let start = index
                while Byte.isBareKey(current) { index += 1 }
                guard index > start else {
                    throw problem(
                        .syntax, "expected a key (letters, digits, _ and -, or a quoted key), found \(describeCurrent())")
                }
                keys.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            skipSpaces()
            guard current == Byte.dot else { return keys }
            index += 1
        }
    }

    /// The table a header names, made or found by TOML's rules, and its name for messages: the keys,
    /// each array of tables followed by the 1-based number of its entry meant (`a.#2.b`), so that a
    /// problem inside one entry says which.
    private func open(
        _ keys: [String], at start: TOMLPosition, isArray: Bool
    ) throws(TOMLSyntaxError) -> (TableBuilder, String) {
        var table = root
        var name: [String] = []
        for (depth, key) in keys.dropLast().enumerated() {
            name.append(Self.display([key]))
            switch table[key] {
            case nil:
                let made = TableBuilder(origin: .implicit, position: start)
                table.add(key, .table(made))
                table = made
            case .table(let inner):
                table = inner
            case .tableArray(let list):
                name.append("#\(list.tables.count)")
                table = list.tables[list.tables.count - 1]
            case .value(let value):
                throw redefinition(at: start, "", keys.prefix(depth + 1), "already holds \(article(value)) (\(value.position)); it cannot also be a table")
            }
        }
        let last = keys[keys.count - 1]
        name.append(Self.display([last]))
        let made = TableBuilder(origin: .header, position: start)
        switch (table[last], isArray) {
        case (nil, false):
            table.add(last, .table(made))
        case (nil, true):
            let list = TableArrayBuilder(position: start)
            list.tables.append(made)
            table.add(last, .tableArray(list))
            name.append("#1")
        case (.tableArray(let list), true):
            list.tables.append(made)
            name.append("#\(list.tables.count)")
        case (.table(let existing), false) where existing.origin == .implicit:
            existing.origin = .header
            existing.position = start
            return (existing, name.joined(separator: "."))
        case (.table(let existing), false):
            let how = existing.origin == .dotted ? "by dotted keys at" : "at"
            throw redefinition(at: start, "", keys[...], "is already defined \(how) \(existing.position)")
        case (.table(let existing), true):
            throw redefinition(at: start, "", keys[...], "is already a table (\(existing.position)), not an array of tables")
        case (.tableArray(let list), false):
            throw redefinition(
                at: start, "", keys[...], "is an array of tables (\(list.position)); [[…]] adds an entry to it")
        case (.value(let value), _):
            throw redefinition(at: start, "", keys[...], "already holds \(article(value)) (\(value.position))")
        }
        return (made, name.joined(separator: "."))
    }

    /// `key = value`, added to `table`; `depth` keys lie above `table`, `tableName` names it in
    /// messages (empty for the root and inline tables), and `nesting` inline tables enclose it.
    private mutating func keyValue(
        into table: TableBuilder, depth: Int, tableName: String, nesting: Int = 0
    ) throws(TOMLSyntaxError) {
        skipSpaces()
        let start = position()
        let keys = try key(depth: depth)
        guard current == Byte.equals else {
            throw problem(.syntax, "expected \"=\" after the key, found \(describeCurrent())")
        }
        index += 1
        skipSpaces()
        let value = try self.value(keyDepth: depth + keys.count, nesting: nesting)
        var target = table
        for (offset, key) in keys.dropLast().enumerated() {
            switch target[key] {
            case nil:
                let made = TableBuilder(origin: .dotted, position: start)
                target.add(key, .table(made))
                target = made
            case .table(let inner) where inner.origin != .header:
                inner.origin = .dotted
                target = inner
            case .table(let inner):
                throw redefinition(
                    at: start, tableName, keys.prefix(offset + 1),
                    "is defined by its header at \(inner.position); a dotted key cannot add to it")
            case .tableArray(let list):
                throw redefinition(
                    at: start, tableName, keys.prefix(offset + 1),
                    "is an array of tables (\(list.position)); a dotted key cannot add to it")
            case .value(let existing):
                throw redefinition(
                    at: start, tableName, keys.prefix(offset + 1),
                    "already holds \(article(existing)) (\(existing.position)); it cannot also be a table")
            }
        }
        let last = keys[keys.count - 1]
        if let existing = target[last] {
            let first: TOMLPosition
            switch existing {
            case .value(let value): first = value.position
            case .table(let inner): first = inner.position
            case .tableArray(let list): first = list.position
            }
            throw redefinition(at: start, tableName, keys, "is defined twice (first at \(first))")
        }
        target.add(last, .value(TOMLValue(value.content, at: start)))
    }

    /// The error for `keys` of the table named `tableName` (empty for none), which `what` describes.
    private func redefinition(
        at start: TOMLPosition, _ tableName: String, _ keys: some Sequence<String>, _ what: String
    ) -> TOMLSyntaxError {
        let path = tableName.isEmpty ? Self.display(keys) : tableName + "." + Self.display(keys)
        return TOMLSyntaxError(kind: .redefinition, position: start, message: "\(path) \(what)")
    }

    private func article(_ value: TOMLValue) -> String {
        let name = value.type
        return (name.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + name
    }

    /// A key path for a message: bare parts as they are, others quoted with escapes.
    static func display(_ keys: some Sequence<String>) -> String {
        keys.map { key in
            if !key.isEmpty && key.utf8.allSatisfy(Byte.isBareKey) { return key }
            var quoted = "\""
            for scalar in key.unicodeScalars {
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\" {
                    quoted += scalar.escaped(asASCII: false)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }

    // MARK: - Values

    /// One value starting at the cursor; `nesting` arrays and inline tables enclose it.
    private mutating func value(keyDepth: Int, nesting: Int) throws(TOMLSyntaxError) -> TOMLValue {
        let start = position()
        let content: TOMLValue.Content
        switch current {
        case Byte.doubleQuote:
            content = .string(peek(1) == Byte.doubleQuote && peek(2) == Byte.doubleQuote ? try multiLineString(Byte.doubleQuote) : try basicString())
        case Byte.singleQuote:
            content = .string(peek(1) == Byte.singleQuote && peek(2) == Byte.singleQuote ? try multiLineString(Byte.singleQuote) : try literalString())
        case Byte.openBracket:
            content = .array(try array(keyDepth: keyDepth, nesting: nesting + 1))
        case Byte.openBrace:
            content = .table(try inlineTable(keyDepth: keyDepth, nesting: nesting + 1))
        case UInt8(ascii: "t") where matches("true"):
            index += 4
            content = .boolean(true)
        case UInt8(ascii: "f") where matches("false"):
            index += 5
            content = .boolean(false)
        default:
            content = try scalar()
        }
        return TOMLValue(content, at: start)
    }

    private mutating func array(keyDepth: Int, nesting: Int) throws(TOMLSyntaxError) -> [TOMLValue] {
        try checkNesting(nesting)
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankLines()
            if current == Byte.closeBracket { break }
            elements.append(try value(keyDepth: keyDepth, nesting: nesting))
            try skipBlankLines()
            if current == Byte.comma {
                index += 1
            } else if current != Byte.closeBracket {
                throw problem(.syntax, "expected \",\" or \"]\" in the array, found \(describeCurrent())")
            }
        }
        index += 1
        return elements
    }

    private mutating func inlineTable(keyDepth: Int, nesting: Int) throws(TOMLSyntaxError) -> TOMLTable {
        try checkNesting(nesting)
        let table = TableBuilder(origin: .header, position: position())
        index += 1
        skipSpaces()
        if current == Byte.closeBrace {
            index += 1
            return table.freeze()
        }
        while true {
            try keyValue(into: table, depth: keyDepth, tableName: "", nesting: nesting)
            skipSpaces()
            if current == Byte.comma {
                index += 1
            } else if current == Byte.closeBrace {
                index += 1
                return table.freeze()
            } else {
                throw problem(
                    .syntax, "expected \",\" or \"}\" in the inline table (which stays on one line), found \(describeCurrent())")
            }
        }
    }

    private mutating func checkNesting(_ nesting: Int) throws(TOMLSyntaxError) {
        guard nesting <= limits.deepestNesting else {
            throw problem(.tooDeep, "values nest more than \(limits.deepestNesting) arrays or inline tables deep")
        }
    }

    // MARK: - Strings

    /// `"…"` with escapes, on one line.
    private mutating func basicString() throws(TOMLSyntaxError) -> String {
        let start = position()
        index += 1
        var text: [UInt8] = []
        while true {
            switch current {
            case Byte.doubleQuote:
                index += 1
                return String(decoding: text, as: UTF8.self)
            case Byte.backslash:
                try escape(into: &text)
            case Byte.newline, Byte.carriageReturn:
                throw unterminated(at: start, "a basic string ends on its own line (\"\"\" starts a multi-line one)")
            case 0 where atEnd:
                throw unterminated(at: start, "the text ends inside a string")
            default:
                text.append(current)
                index += 1
            }
        }
    }

    /// `'…'`, without escapes, on one line.
    private mutating func literalString() throws(TOMLSyntaxError) -> String {
        let start = position()
        index += 1
        let first = index
        while current != Byte.singleQuote {
            if current == Byte.newline || current == Byte.carriageReturn || atEnd {
                throw unterminated(at: start, "a literal string ends on its own line (''' starts a multi-line one)")
            }
            index += 1
        }
        index += 1
        return String(decoding: bytes[first..<(index - 1)], as: UTF8.self)
    }

    /// `"""…"""` (with escapes and line-ending backslashes) or `'''…'''`; a newline right after the
    /// opening quotes is not part of the text.
    private mutating func multiLineString(_ quote: UInt8) throws(TOMLSyntaxError) -> String {
        let start = position()
        index += 3
        if current == Byte.carriageReturn { index += 1 }
        if current == Byte.newline { nextLine() }
        var text: [UInt8] = []
        while true {
            switch current {
            case quote:
                let runStart = position()
                var run = 0
                while current == quote {
                    run += 1
                    index += 1
                }
                if run >= 3 {
                    guard run <= 5 else {
                        throw TOMLSyntaxError(
                            kind: .syntax, position: runStart,
                            message: "a multi-line string ends with at most five quotes in a row")
                    }
                    text.append(contentsOf: repeatElement(quote, count: run - 3))
                    return String(decoding: text, as: UTF8.self)
                }
                text.append(contentsOf: repeatElement(quote, count: run))
            case Byte.backslash where quote == Byte.doubleQuote:
                if try lineEndingBackslash() { continue }
                try escape(into: &text)
            case Byte.newline:
                text.append(Byte.newline)
                nextLine()
            case Byte.carriageReturn:
                // CR LF reads as LF, as in most parsers (the screen let no lone CR through).
                index += 1
            case 0 where atEnd:
                throw unterminated(at: start, "the text ends inside a multi-line string")
            default:
                text.append(current)
                index += 1
            }
        }
    }

    /// At a `\` followed by spaces and a line end: skips it and all whitespace after it (TOML's
    /// line-ending backslash) and returns true; returns false, moving nothing, otherwise.
    private mutating func lineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var ahead = index + 1
        while ahead < bytes.count && (bytes[ahead] == Byte.space || bytes[ahead] == Byte.tab) { ahead += 1 }
        guard ahead < bytes.count, bytes[ahead] == Byte.newline || bytes[ahead] == Byte.carriageReturn else {
            return false
        }
        index = ahead
        while true {
            switch current {
            case Byte.space, Byte.tab, Byte.carriageReturn: index += 1
            case Byte.newline: nextLine()
            default: return true
            }
        }
    }

    /// An escape at the cursor (`\n`, `\u00E9`…), appended as UTF-8.
    private mutating func escape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = position()
        index += 1
        let simple: UInt8?
        switch current {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = Byte.tab
        case UInt8(ascii: "n"): simple = Byte.newline
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = Byte.carriageReturn
        case Byte.doubleQuote: simple = Byte.doubleQuote
        case Byte.backslash: simple = Byte.backslash
        case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
        default:
            throw TOMLSyntaxError(
                kind: .syntax, position: start,
                message: "unknown escape; a basic string allows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX")
        }
        if let simple {
            text.append(simple)
            index += 1
            return
        }
        let digits = current == UInt8(ascii: "u") ? 4 : 8
        index += 1
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = Byte.hexValue(current) else {
                throw TOMLSyntaxError(
                    kind: .syntax, position: start, message: "\\\(digits == 4 ? "u" : "U") needs \(digits) hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw TOMLSyntaxError(
                kind: .syntax, position: start, message: "the escape is not a Unicode scalar value (a surrogate, or above U+10FFFF)")
        }
        text.append(contentsOf: String(Character(scalar)).utf8)
    }

    private func unterminated(at start: TOMLPosition, _ why: String) -> TOMLSyntaxError {
        TOMLSyntaxError(kind: .syntax, position: start, message: "unterminated string: \(why)")
    }

    // MARK: - Numbers, dates and times

    /// A number, date or time: the token at the cursor, read by `TOMLScalar`.
    private mutating func scalar() throws(TOMLSyntaxError) -> TOMLValue.Content {
        let start = position()
        let first = index
        while Byte.isScalar(current) { index += 1 }
        // A date and a time may be separated by one space: `1979-05-27 07:32:00`.
        if index - first == 10, bytes[first + 4] == UInt8(ascii: "-"), current == Byte.space,
            Byte.isDigit(peek(1)), Byte.isDigit(peek(2)), peek(3) == UInt8(ascii: ":")
        {
            index += 1
            while Byte.isScalar(current) { index += 1 }
        }
        guard index > first else {
            throw problem(
                .syntax, "expected a value (a string, number, boolean, date, array or inline table), found \(describeCurrent())")
        }
        guard let content = TOMLScalar.read(bytes[first..<index]) else {
            throw TOMLSyntaxError(
                kind: .syntax, position: start,
                message: "\"\(String(decoding: bytes[first..<index].prefix(40), as: UTF8.self))\" is not a valid number, date or time")
        }
        return content
    }

    // MARK: - Characters and positions

    /// Refuses the control characters TOML forbids anywhere (comments and strings included) before
    /// anything else is read, so the rest of the parser may take byte 0 as the end of the text.
    private mutating func screenCharacters() throws(TOMLSyntaxError) {
        for (offset, byte) in bytes.enumerated() {
            let lone = byte == Byte.carriageReturn && (offset + 1 == bytes.count || bytes[offset + 1] != Byte.newline)
            guard (byte < 0x20 && byte != Byte.tab && byte != Byte.newline && byte != Byte.carriageReturn)
                || byte == 0x7F || lone
            else { continue }
            var scan = ParserState(bytes: bytes, limits: limits)
            while scan.index < offset {
                if scan.current == Byte.newline { scan.nextLine() } else { scan.index += 1 }
            }
            let hex = String(byte, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: 4 - hex.count) + hex
            let what =
                lone
                ? "a carriage return (U+000D) not followed by a line feed"
                : byte == 0 ? "a NUL byte (U+0000)" : "the control character \(code)"
            throw scan.problem(.forbiddenCharacter, "\(what) is not allowed in TOML (only tab, LF and CR LF are)")
        }
    }

    private var atEnd: Bool { index >= bytes.count }

    /// The byte at the cursor; 0 at the end (a real 0 was refused by `screenCharacters`).
    private var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private func peek(_ offset: Int) -> UInt8 {
        index + offset < bytes.count ? bytes[index + offset] : 0
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return word.withUTF8Buffer { bytes[index..<(index + count)].elementsEqual($0) }
    }

    private mutating func skipSpaces() {
        while current == Byte.space || current == Byte.tab { index += 1 }
    }

    private mutating func skipComment() {
        while !atEnd && current != Byte.newline && current != Byte.carriageReturn { index += 1 }
    }

    /// Spaces, comments and line ends, as arrays allow between elements.
    private mutating func skipBlankLines() throws(TOMLSyntaxError) {
        while true {
            switch current {
            case Byte.space, Byte.tab, Byte.carriageReturn: index += 1
            case Byte.newline: nextLine()
            case Byte.hash: skipComment()
            default: return
            }
        }
    }

    private mutating func nextLine() {
        index += 1
        line += 1
        lineStart = index
    }

    /// The cursor's position, the column counted in characters (UTF-8 lead bytes).
    private mutating func position() -> TOMLPosition {
        if counted.index < lineStart || counted.index > index { counted = (lineStart, 1) }
        var column = counted.column
        for byte in bytes[counted.index..<min(index, bytes.count)] where byte & 0xC0 != 0x80 { column += 1 }
        counted = (index, column)
        return TOMLPosition(line: line, column: column)
    }

    private mutating func problem(_ kind: TOMLSyntaxError.Kind, _ message: String) -> TOMLSyntaxError {
        TOMLSyntaxError(kind: kind, position: position(), message: message)
    }

    /// The character at the cursor for a message, printable whatever it is.
    private func describeCurrent() -> String {
        switch current {
        case 0 where atEnd: return "the end of the text"
        case Byte.newline, Byte.carriageReturn: return "the end of the line"
        default:
            var end = index + 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            let text = String(decoding: bytes[index..<end], as: UTF8.self)
            guard let scalar = text.unicodeScalars.first, scalar.properties.generalCategory != .control,
                scalar.properties.generalCategory != .format
            else { return "a control or format character" }
            return "\"\(text)\""
        }
    }
}
