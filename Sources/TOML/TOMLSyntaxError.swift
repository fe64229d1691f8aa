/// Why a TOML text was refused: the first problem found, where it is, and what it is.
///
/// The message says what was expected or what is not allowed, in a sentence for a person; it
/// never quotes the source raw (characters that act on a terminal are written as `U+001B`).
public struct TOMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem, so callers tell them apart without reading messages.
    public enum Kind: Sendable, Equatable {
        /// Text that is not TOML: a missing `=`, an unterminated string, a bad number.
        case syntax
        /// A control character TOML does not allow (all of U+0000–U+001F but tab and LF, and
        /// U+007F; CR only before LF).
        case forbiddenCharacter
        /// A key defined twice, a table defined twice, or a table or value extended where TOML
        /// forbids it (an inline table, a static array, a table made by dotted keys).
        case redefinition
        /// Keys or values nested deeper than the parser's `TOMLLimits` allow.
        case tooDeep
    }

    /// What kind of problem.
    public var kind: Kind
    /// Where the problem starts.
    public var position: TOMLPosition
    /// A sentence saying what is wrong.
    public var message: String

    /// An error of `kind` at `position`.
    public init(kind: Kind, position: TOMLPosition, message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    /// `line 3, column 7: expected "=" after the key`.
    public var description: String { "\(position): \(message)" }
}
