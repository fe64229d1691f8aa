import Foundation
import JunctionConfig
import Testing

/// The `[sumo]` section: each problem of the mapping is said once, for what it is.
@Suite struct SumoSectionTests {
    static let benchFile = #filePath.components(separatedBy: "/Tests/")[0] + "/bench/sumo/junction.toml"

    static func problems(_ source: String) -> [ConfigProblem] { ConfigFixture.problems(source) }

    @Test func theBenchFileMapsEveryGroupAndDetector() throws {
        #expect(Self.problems(try String(contentsOfFile: Self.benchFile, encoding: .utf8)).isEmpty)
    }

    /// Two detectors given one loop: once, the second was also reported as reading no loop, which
    /// contradicts the line that names the loop it was given.
    @Test func aLoopGivenToTwoDetectorsIsSaidOnce() throws {
        let source = try String(contentsOfFile: Self.benchFile, encoding: .utf8)
            .replacingOccurrences(of: "N_stop_1 = \"N_stop_1\"", with: "N_stop_1 = \"N_stop_0\"")
        let problems = Self.problems(source)
        #expect(problems.map(\.field) == ["sumo.loops.N_stop_1"], "\(problems)")
        #expect(problems.first?.message == "loop \"N_stop_0\" already feeds detector N_stop_0")
    }

    /// netconvert joins the ids of the junctions it merges: a light of an imported map is often
    /// over 64 characters, which once made its file unusable. A foreign id is bounded, longer.
    @Test func aTrafficLightIdOfAJoinedClusterIsTaken() throws {
        let bench = try String(contentsOfFile: Self.benchFile, encoding: .utf8)
        let joined = "joinedS_cluster_2841937562_2841937563_5520194411_cluster_6620194412_6620194413_8820194414"
        #expect(Self.problems(bench.replacingOccurrences(of: "tls = \"C\"", with: "tls = \"\(joined)\"")).isEmpty)
        let endless = String(repeating: "c", count: 513)
        let problems = Self.problems(bench.replacingOccurrences(of: "tls = \"C\"", with: "tls = \"\(endless)\""))
        #expect(problems.map(\.message) == ["tls is 513 characters long; at most 512 are allowed"], "\(problems)")
    }
}
