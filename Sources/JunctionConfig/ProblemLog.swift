import SignalCore

/// Collects the problems of one load, giving each the line the locator finds for its field.
final class ProblemLog {
    private let source: String
    /// Built at the first problem: a clean file never needs it.
    private lazy var locator = KeyLocator(source: source)
    private(set) var problems: [ConfigProblem] = []

    init(source: String) {
        self.source = source
    }

    var isEmpty: Bool { problems.isEmpty }

    func report(_ kind: ConfigProblem.Kind, _ path: [JunctionProblem.PathComponent], _ message: String) {
        problems.append(
            ConfigProblem(
                kind: kind, field: JunctionProblem.fieldName(of: path), line: locator.line(of: path), message: message))
    }

    /// The line of `path` (or of its nearest enclosing key or header), for messages that name a second place.
    func line(of path: [JunctionProblem.PathComponent]) -> Int? {
        locator.line(of: path)
    }

    func append(_ problem: ConfigProblem) {
        problems.append(problem)
    }
}
