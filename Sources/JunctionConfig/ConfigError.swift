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

    /// The most problems `description` lists: a file of thousands of bad lines must not turn one
    /// SIGHUP into megabytes of log. The first ones are the ones to fix first.
    public static let problemsShown = 50

    /// One problem per line, each prefixed with the source, as compilers print them; past
    /// `problemsShown`, one last line says how many more there are.
    public var description: String {
        var lines = problems.prefix(Self.problemsShown).map { "\(source): \($0)" }
        if problems.count > Self.problemsShown {
            lines.append("\(source): … and \(problems.count - Self.problemsShown) more problems")
        }
        return lines.joined(separator: "\n")
    }
}
