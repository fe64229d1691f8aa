/// A junction file was rejected; carries every problem found, in file order where lines are known.
///
/// Problems come in two rounds: the file's structure (syntax, keys, types, names) and then, only
/// when that is clean, `JunctionValidator`'s checks of the junction it describes; checking the
/// junction of a half-read file would only add echoes of the first round.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name (or a label for a built-in source) the problems refer to.
    public var source: String
    /// Never empty.
    public var problems: [ConfigProblem]

    /// An error for `source`; callers pass at least one problem.
    public init(source: String, problems: [ConfigProblem]) {
        self.source = source
        self.problems = problems
    }

    /// One problem per line, each prefixed with the source, as compilers print them.
    public var description: String {
        problems.map { "\(source): \($0)" }.joined(separator: "\n")
    }
}
