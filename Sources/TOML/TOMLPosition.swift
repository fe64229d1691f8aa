/// Where something starts in TOML source: 1-based line, and 1-based column counted in characters
/// (Unicode scalars) from the start of the line.
public struct TOMLPosition: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, in characters.
    public var column: Int

    /// A position; both numbers are 1-based.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line 3, column 7`.
    public var description: String { "line \(line), column \(column)" }
}
