/// Checks TOML text before it is parsed, in time proportional to its length, for what the parser
/// must never see.
///
/// - Control characters TOML forbids (all of U+0000–U+001F but tab, LF and CR, and U+007F), and
///   `\u0000` escapes: the parser is handed a C string, so a NUL cut the file (or a string) short
///   and the rest was silently ignored.
/// - Key paths deeper than `deepestKeyPath` (header keys, dotted keys and inline tables together)
///   and values nested deeper than `deepestNesting`: a junction file nests three levels at most,
///   and 100 KB of `[a.a.a…]` once took the loader 51 s (the line finder's work grew with the
///   square of the depth).
/// - A table header that does not start with a key, `]` or a quote (`[#a]`, `[=]`, `[é]`, `[` at
///   the end of a line): TOMLKit's toml++ 3.4 asserts there, and its asserts are compiled in, so
///   such a file aborted the daemon (found by fuzz-config).
///
/// It reads just enough TOML (strings, comments, headers, keys, brackets) to find keys. On text
/// that is not TOML it may misread, but it never traps, always advances, and reports nothing it is
/// unsure of: syntax is the parser's to report. It reports the first problem it finds, with its
/// line and column (in characters).
struct SourceScreen {
    /// The most keys a path may have: `[modbus.watchdog]` plus `key = { a = … }` is four.
    static let deepestKeyPath = 8
    /// The most arrays and inline tables a value may be nested in: `barriers = [[2, 6]]` is two.
    static let deepestNesting = 8

    /// The first problem in `source`, or nil when the parser may have it.
    static func problem(in source: String) -> ConfigProblem? {
        var bytes = Array(source.utf8)
        // A sentinel newline ends every scan loop without a bounds check on each byte.
        bytes.append(TOMLByte.newline)
        var screen = SourceScreen(bytes: bytes)
        return screen.forbiddenCharacter() ?? screen.structure()
    }


    /// An array or inline table the scan is inside, with the key depth of the value holding it.
    private enum Container {
        case array(depth: Int)
        case inlineTable(depth: Int)
    }

    /// What the scan expects next.
    private enum Expecting {
        /// A header or a `key = value` line (outside any array or inline table).
        case lineStart
        /// A key inside an inline table whose own key path is `depth` deep.
        case inlineKey(depth: Int)
        /// The rest of a value, whose key path is `depth` deep.
        case value(depth: Int)
        /// Nothing that matters until the end of the line (after a header).
        case lineEnd
    }

    private let bytes: [UInt8]
    /// The last index the scan may read: the sentinel newline.
    private let end: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        end = bytes.count - 1
    }

    // MARK: - Characters

    private mutating func forbiddenCharacter() -> ConfigProblem? {
        for position in 0..<end {
            let byte = bytes[position]
            if byte == TOMLByte.newline {
                line += 1
                lineStart = position + 1
            } else if (byte < 0x20 && byte != TOMLByte.tab && byte != TOMLByte.carriageReturn) || byte == 0x7F {
                index = position
                let scalar = Unicode.Scalar(byte)
                let name = byte == 0 ? "a NUL byte" : "a control character"
                return problem(
                    .forbiddenCharacter,
                    "\(name) (\(PrintableText.code(scalar))) is not allowed: TOML allows no control characters "
                        + "other than tab, CR and LF (is the file damaged, or not a text file?)")
            }
        }
        line = 1
        lineStart = 0
        return nil
    }

    // MARK: - Structure

    private mutating func structure() -> ConfigProblem? {
        var containers: [Container] = []
        var expecting = Expecting.lineStart
        var tableDepth = 0
        while index < end {
            let byte = bytes[index]
            switch byte {
            case TOMLByte.newline:
                nextLine()
                if containers.isEmpty { expecting = .lineStart }
                continue
            case TOMLByte.space, TOMLByte.tab, TOMLByte.carriageReturn:
                index += 1
                continue
            case TOMLByte.hash:
                skipToLineEnd()
                continue
            default:
                break
            }
            switch expecting {
            case .lineEnd:
                skipToLineEnd()
            case .lineStart:
                let keyStart = index
                if byte == TOMLByte.openBracket {
                    index += 1
                    skipSpaces()
                    if bytes[index] == TOMLByte.openBracket {
                        index += 1
                        skipSpaces()
                    }
                    let first = bytes[index]
                    guard TOMLByte.isASCIIBareKey(first) || first == TOMLByte.doubleQuote || first == TOMLByte.singleQuote
                        || first == TOMLByte.closeBracket
                    else {
                        return problem(
                            .syntax,
                            "a table header must start with a key: a letter, digit, _ or -, or a quoted key")
                    }
                    tableDepth = readKey()
                    if tableDepth > Self.deepestKeyPath { return tooDeep(at: keyStart, header: true) }
                    expecting = .lineEnd
                } else {
                    let depth = tableDepth + readKey()
                    if depth > Self.deepestKeyPath { return tooDeep(at: keyStart, header: false) }
                    if index == keyStart { index += 1 }
                    expecting = .value(depth: depth)
                }
            case .inlineKey(let base):
                if byte == TOMLByte.closeBrace {
                    index += 1
                    containers.removeLast()
                    expecting = .value(depth: base)
                    continue
                }
                let keyStart = index
                let depth = base + readKey()
                if depth > Self.deepestKeyPath { return tooDeep(at: keyStart, header: false) }
                if index == keyStart { index += 1 }
                expecting = .value(depth: depth)
            case .value(let depth):
                switch byte {
                case TOMLByte.doubleQuote, TOMLByte.singleQuote:
                    if let problem = skipString() { return problem }
                    continue
                case TOMLByte.openBracket, TOMLByte.openBrace:
                    let opening = index
                    index += 1
                    containers.append(byte == TOMLByte.openBracket ? .array(depth: depth) : .inlineTable(depth: depth))
                    if containers.count > Self.deepestNesting {
                        index = opening
                        return problem(
                            .tooDeep,
                            "values nest more than \(Self.deepestNesting) arrays or inline tables deep; "
                                + "a junction file needs two at most")
                    }
                    if byte == TOMLByte.openBrace { expecting = .inlineKey(depth: depth) }
                    continue
                case TOMLByte.closeBracket, TOMLByte.closeBrace:
                    switch (containers.last, byte) {
                    case (.array(let outer)?, TOMLByte.closeBracket), (.inlineTable(let outer)?, TOMLByte.closeBrace):
                        containers.removeLast()
                        expecting = .value(depth: outer)
                    default:
                        break
                    }
                case TOMLByte.comma:
                    if case .inlineTable(let outer)? = containers.last { expecting = .inlineKey(depth: outer) }
                default:
                    break
                }
                index += 1
            }
        }
        return nil
    }

    /// Reads a key such as `a`, `"a b"` or `a.'b'.c` and returns how many parts it has (0 when
    /// none starts here); the index is left after the key and the spaces that follow it.
    private mutating func readKey() -> Int {
        var parts = 0
        while true {
            skipSpaces()
            let byte = bytes[index]
            if byte == TOMLByte.doubleQuote || byte == TOMLByte.singleQuote {
                index += 1
                while bytes[index] != byte && bytes[index] != TOMLByte.newline {
                    // An escaped quote does not end a basic string; a literal one has no escapes.
                    if byte == TOMLByte.doubleQuote && bytes[index] == TOMLByte.backslash && bytes[index + 1] != TOMLByte.newline {
                        index += 1
                    }
                    index += 1
                }
                if bytes[index] == byte { index += 1 }
            } else if Self.isBareKeyByte(byte) {
                while Self.isBareKeyByte(bytes[index]) { index += 1 }
            } else {
                return parts
            }
            parts += 1
            // Past the limit the key is refused anyway: stop reading it.
            if parts > Self.deepestKeyPath { return parts }
            skipSpaces()
            guard bytes[index] == TOMLByte.dot else { return parts }
            index += 1
        }
    }

    /// Skips a basic, literal or multi-line string starting at the index; reports a `\u0000` escape.
    private mutating func skipString() -> ConfigProblem? {
        let quote = bytes[index]
        let multiLine = index + 2 < end && bytes[index + 1] == quote && bytes[index + 2] == quote
        index += multiLine ? 3 : 1
        while index < end {
            let byte = bytes[index]
            if byte == quote {
                if !multiLine {
                    index += 1
                    return nil
                }
                if index + 2 < end && bytes[index + 1] == quote && bytes[index + 2] == quote {
                    // Up to two more quotes belong to the string: `"""a""""` ends with `a"`.
                    index += 3
                    var extra = 0
                    while extra < 2 && index < end && bytes[index] == quote {
                        index += 1
                        extra += 1
                    }
                    return nil
                }
                index += 1
            } else if byte == TOMLByte.newline {
                // A single-line string ends at the line; an unterminated one is the parser's to report.
                if !multiLine { return nil }
                nextLine()
            } else if byte == TOMLByte.backslash && quote == TOMLByte.doubleQuote {
                if escapesNul() {
                    return problem(
                        .forbiddenCharacter,
                        "an escaped NUL (\\u0000) is not allowed: it would cut the string short")
                }
                // The escaped byte cannot end the string; a newline after `\` is counted next round.
                index += bytes[index + 1] == TOMLByte.newline ? 1 : 2
            } else {
                index += 1
            }
        }
        return nil
    }

    /// True when the backslash at the index starts `\u0000` or `\U00000000`.
    private func escapesNul() -> Bool {
        let kind = bytes[index + 1]
        let digits = kind == UInt8(ascii: "u") ? 4 : kind == UInt8(ascii: "U") ? 8 : 0
        guard digits > 0, index + 1 + digits < end else { return false }
        return bytes[(index + 2)..<(index + 2 + digits)].allSatisfy { $0 == UInt8(ascii: "0") }
    }

    private mutating func skipSpaces() {
        while bytes[index] == TOMLByte.space || bytes[index] == TOMLByte.tab { index += 1 }
    }

    private mutating func skipToLineEnd() {
        while bytes[index] != TOMLByte.newline { index += 1 }
    }

    private mutating func nextLine() {
        index += 1
        line += 1
        lineStart = index
    }

    /// ASCII letters, digits, `_` and `-`, and any non-ASCII byte: should the parser ever take
    /// Unicode bare keys (TOML 1.1), they are counted rather than missed.
    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || TOMLByte.isASCIIBareKey(byte)
    }

    private func tooDeep(at start: Int, header: Bool) -> ConfigProblem {
        var screen = self
        screen.index = start
        let what = header ? "this table header has" : "this key has, with its table's,"
        return screen.problem(
            .tooDeep,
            "\(what) more than \(Self.deepestKeyPath) keys; a junction file nests three levels at most")
    }

    /// A problem at the index, its column counted in characters (UTF-8 lead bytes) from the line's start.
    private func problem(_ kind: ConfigProblem.Kind, _ message: String) -> ConfigProblem {
        let column = bytes[lineStart..<index].reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
        return ConfigProblem(kind: kind, field: "", line: line, column: column, message: message)
    }
}
