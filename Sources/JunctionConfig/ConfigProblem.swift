import SignalCore

/// One thing wrong with a junction file: what kind, which field, where, and a message for a technician.
///
/// Its field and message are safe to print: characters that act on a terminal or reorder text
/// (controls, bidirectional overrides) are escaped as `\u{1B}`, and both are cut to a bounded length,
/// whatever the file held.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, so callers and tests tell problems apart without reading messages.
    public enum Kind: Sendable, Equatable {
        /// The file could not be read, or is not UTF-8.
        case unreadable
        /// The file is larger than `JunctionConfigLoader.largestFileBytes`.
        case tooLarge
        /// A control character TOML forbids (a NUL byte, ESC…), or an escaped NUL (`\u0000`), which
        /// a C library given the string would take as its end.
        case forbiddenCharacter
        /// A table header or key with more parts, or a value nested deeper, than a junction file
        /// ever needs (`JunctionConfigLoader.limits`).
        case tooDeep
        /// TOML syntax, or a key or table defined twice, as the parser reports it, with its line
        /// and column.
        case syntax
        /// A key or section the format does not have.
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// A value of the wrong TOML type.
        case wrongType
        /// A word that is not one of the allowed choices, or an empty name.
        case invalidValue
        /// A time with finer precision than a tenth of a second.
        case precision
        /// A value outside the range the loader accepts.
        case outOfRange
        /// More entries in a list than the loader accepts.
        case tooMany
        /// A name that refers to no group or stage.
        case unknownName
        /// Sections that cannot be combined, such as `[nema]` with `[[groups]]`.
        case layout
        /// The `[nema]` ring-barrier description cannot be compiled.
        case ringBarrier(RingBarrierError)
        /// The junction built from the file fails `JunctionValidator`.
        case junction(JunctionProblem.Kind)
    }

    /// What is wrong.
    public var kind: Kind
    /// The field path in the file's vocabulary, such as `groups.N.amber`; empty for syntax errors.
    public var field: String
    /// 1-based line of the field (or of its nearest enclosing key or table) when it can be found.
    public var line: Int?
    /// 1-based column, in characters; only problems the parser finds (syntax, characters, depth) carry one.
    public var column: Int?
    /// A sentence for a technician, with times in seconds.
    public var message: String

    /// The longest field path kept, in characters; a longer one ends in "…".
    public static let longestField = 200
    /// The longest message kept, in characters; a longer one ends in "…".
    public static let longestMessage = 1000

    /// A problem with `field` and `message` made safe to print (see the type's comment).
    public init(kind: Kind, field: String, line: Int?, column: Int? = nil, message: String) {
        self.kind = kind
        self.field = PrintableText.escaped(field, limit: Self.longestField)
        self.line = line
        self.column = column
        self.message = PrintableText.escaped(message, limit: Self.longestMessage)
    }

    /// `line 12: groups.N.amber: amber 2.5 s is below the 3.0 s floor`.
    public var description: String {
        var text = ""
        if let line {
            text += "line \(line)"
            if let column { text += ", column \(column)" }
            text += ": "
        }
        if !field.isEmpty { text += "\(field): " }
        return text + message
    }
}
