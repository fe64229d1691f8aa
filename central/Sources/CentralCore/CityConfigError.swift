/// Why a city config file was refused: every problem found, each naming its field.
public struct CityConfigError: Error, Sendable, CustomStringConvertible {
    /// The file (or label) the problems are in.
    public var source: String
    /// One line per problem, such as `junctions[2].key: expected 64 hex digits (32 bytes)`.
    public var problems: [String]

    public var description: String {
        problems.map { "\(source): \($0)" }.joined(separator: "\n")
    }
}
