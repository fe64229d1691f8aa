import Foundation
import JunctionConfig
import Testing

/// A small valid junction file, and edits of it, for tests that each break one thing.
///
/// Group A and B differ in every timing value so that each edit can find its line uniquely.
enum ConfigFixture {
    static let valid = """
        [junction]
        name = "fixture"

        [[groups]]
        name = "A"
        kind = "vehicle"
        min_green = 7
        max_green = 30
        passage = 2.5
        amber = 3.0
        red_amber = 1.5

        [[groups]]
        name = "B"
        kind = "vehicle"
        min_green = 8
        max_green = 25
        passage = 2.0
        amber = 3.5
        red_amber = 1.0

        [[groups]]
        name = "P"
        kind = "pedestrian"
        walk = 6
        clearance = 9.0

        [conflicts]
        A = ["B", "P"]
        B = ["A"]
        P = ["A"]

        [intergreen]
        A = { B = 5.0, P = 5.0 }
        B = { A = 5.0 }
        P = { A = 11.0 }

        [[stages]]
        name = "S1"
        groups = ["A"]

        [[stages]]
        name = "S2"
        groups = ["B", "P"]

        [[detectors]]
        name = "DA"
        groups = ["A"]
        function = "call_and_extend"

        [[detectors]]
        name = "PB"
        groups = ["P"]
        function = "call"
        placement = "push_button"

        [[plans]]
        name = "fixed"
        cycle = 60
        offset = 0
        splits = [30, 30]

        """

    /// The fixture with `old` (which must occur exactly once) replaced by `new`.
    static func replacing(_ old: String, with new: String, in source: String = valid) -> String {
        let parts = source.components(separatedBy: old)
        precondition(parts.count == 2, "fixture text \"\(old)\" must occur exactly once")
        return parts.joined(separator: new)
    }

    /// The fixture with `text` appended.
    static func appending(_ text: String) -> String { valid + "\n" + text + "\n" }

    /// The problems loading `source` reports; empty when it loads.
    static func problems(_ source: String) -> [ConfigProblem] {
        do {
            _ = try JunctionConfigLoader().load(source: source, name: "test.toml")
            return []
        } catch {
            return error.problems
        }
    }

    /// The 1-based line of the `occurrence`-th line that contains `text`.
    static func line(containing text: String, occurrence: Int = 1, in source: String) -> Int? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let matches = lines.indices.filter { lines[$0].contains(text) }
        return matches.count >= occurrence ? matches[occurrence - 1] + 1 : nil
    }
}
