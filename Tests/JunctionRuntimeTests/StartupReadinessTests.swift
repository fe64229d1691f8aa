import Foundation
import JunctionConfig
import RuntimeTestSupport
import Testing

@testable import JunctionRuntime

/// Files that pass the junction file's own checks but that junctiond could not start with: once
/// `--check-config` called them valid and a reload applied them.
@Suite struct StartupReadinessTests {
    static func configuration(upstreamKey: String, field: String = "") throws -> JunctionConfiguration {
        let source = BuiltInJunctions.cirebon4Arm + """

            \(field)
            [upstream]
            junction_id = 12
            \(upstreamKey)
            central = ["127.0.0.1:47901"]
            """
        return try JunctionConfigLoader().load(source: source, name: "readiness.toml")
    }

    @Test func aKeyInTheFileIsReady() throws {
        let ready = try Self.configuration(upstreamKey: #"key = "00112233445566778899aabbccddeeff""#)
        #expect(StartupReadiness.problems(of: ready).isEmpty)
    }

    @Test(arguments: ["/nonexistent/junctiond.key", "/dev/zero", "/"])
    func aKeyFileThatCannotBeReadHereIsAProblemOfThisMachine(_ path: String) throws {
        let configuration = try Self.configuration(upstreamKey: "key_file = \"\(path)\"")
        let problems = StartupReadiness.problems(of: configuration)
        #expect(problems.count == 1)
        #expect(problems.first?.dependsOnMachine == true)
        #expect(problems.first?.description.contains(path) == true, "\(problems)")
    }

    @Test func theSumoBackendIsAProblemEverywhere() throws {
        let configuration = try Self.configuration(
            upstreamKey: #"key = "00112233445566778899aabbccddeeff""#, field: "[field]\ndetectors = \"sumo\"\n")
        let problems = StartupReadiness.problems(of: configuration)
        #expect(problems.map(\.dependsOnMachine) == [false], "\(problems)")
    }
}
