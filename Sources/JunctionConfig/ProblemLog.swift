import SignalCore
import TOML

/// Collects the problems of one load, giving each the line of its field in the parsed document.
final class ProblemLog {
    private let document: TOMLTable
    private(set) var problems: [ConfigProblem] = []

    init(document: TOMLTable) {
        self.document = document
    }

    var isEmpty: Bool { problems.isEmpty }

    func report(_ kind: ConfigProblem.Kind, _ path: [JunctionProblem.PathComponent], _ message: String) {
        problems.append(
            ConfigProblem(kind: kind, field: JunctionProblem.fieldName(of: path), line: line(of: path), message: message))
    }

    /// The line of `path`, or of its nearest enclosing key or table when the file lacks it (a
    /// missing key is found at its table's header), or nil when not even the first key is there.
    /// A list element is found at its list's key.
    func line(of path: [JunctionProblem.PathComponent]) -> Int? {
        var found: Int?
        var table: TOMLTable? = document
        var list: [TOMLValue]?
        for component in path {
            let value: TOMLValue?
            switch component {
            case .key(let key): value = table?[key]
            case .entry(_, let index): value = list.flatMap { $0.indices.contains(index) ? $0[index] : nil }
            case .element: continue
            }
            guard let value else { break }
            found = value.position.line
            table = value.table
            list = value.array
        }
        return found
    }
}
