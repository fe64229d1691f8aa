import Foundation
import JunctionConfig
import SignalCore
import Testing

/// The junction files shipped under hardware/junctions, found relative to this source file.
enum ExampleFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hardware/junctions")

    static var all: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func load(_ name: String) throws -> JunctionConfiguration {
        try JunctionConfigLoader().load(path: directory.appendingPathComponent(name).path)
    }
}

@Suite struct ExampleJunctionTests {
    @Test func theThreeExamplesArePresent() {
        let names = ExampleFiles.all.map(\.lastPathComponent)
        #expect(names.contains("cirebon-4arm.toml"))
        #expect(names.contains("t-junction.toml"))
        #expect(names.contains("nema-8phase.toml"))
    }

    @Test(arguments: ExampleFiles.all)
    func everyExampleLoadsAndValidates(file: URL) throws {
        let configuration: JunctionConfiguration
        do {
            configuration = try JunctionConfigLoader().load(path: file.path)
        } catch {
            Issue.record("\(error)")
            return
        }
        let junction = configuration.junction
        #expect(JunctionValidator(amberFloor: configuration.amberFloor).problems(in: junction).isEmpty)
        #expect(!junction.groups.isEmpty)
        #expect(!junction.sequence.isEmpty)
        #expect(configuration.summary.groups == junction.groups.count)
        #expect(configuration.summary.maxCycle >= (junction.plans.map(\.cycle).max() ?? 0))
    }

    @Test func theExampleInTheFormatDocumentLoads() throws {
        let document = try String(
            contentsOf: ExampleFiles.directory.appendingPathComponent("../../docs/config.md"), encoding: .utf8)
        let afterHeading = try #require(document.components(separatedBy: "## A small example").last)
        let example = try #require(afterHeading.components(separatedBy: "```toml\n").dropFirst().first)
        let source = try #require(example.components(separatedBy: "```").first)
        let configuration = try JunctionConfigLoader().load(source: source, name: "docs/config.md")
        #expect(configuration.summary.groups == 2)
        #expect(configuration.summary.plans == 1)
    }

    @Test func builtInCirebonIsByteIdenticalToTheFile() throws {
        let file = try Data(contentsOf: ExampleFiles.directory.appendingPathComponent("cirebon-4arm.toml"))
        #expect(Data(BuiltInJunctions.cirebon4Arm.utf8) == file)
    }

    @Test func builtInCirebonLoads() throws {
        let configuration = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in")
        #expect(configuration.summary.layout == .signalGroups)
    }

    @Test func cirebonSummaryMatchesTheFile() throws {
        let configuration = try ExampleFiles.load("cirebon-4arm.toml")
        let summary = configuration.summary
        #expect(summary.groups == 12)
        #expect(summary.stages == 5)
        #expect(summary.detectors == 17)
        #expect(summary.plans == 2)
        // Actuated cycle at max green, by hand: (45 + 5.0) + (20 + 5.9) + (35 + 5.4) + (20 + 5.9) + (7 + 17.0).
        #expect(summary.maxCycle == 1662)
        #expect(summary.description.contains("12 groups"))
        let kinds = configuration.junction.groups.map(\.kind)
        #expect(kinds.filter { $0 == .turnArrow }.count == 4)
        #expect(kinds.filter { $0 == .pedestrian }.count == 4)
        for group in configuration.junction.groups where group.kind != .pedestrian {
            #expect((10...20).contains(group.timing.redAmber), "red+amber of \(group.name) is 1.0-2.0 s")
            #expect(group.timing.clearance == 30)
        }
    }

    @Test func nemaExampleCompilesToTheDualRingDiagram() throws {
        let configuration = try ExampleFiles.load("nema-8phase.toml")
        let junction = configuration.junction
        #expect(configuration.summary.layout == .ringBarrier)
        #expect(junction.groups.map(\.name) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"])
        #expect(junction.sequence.map { junction.stages[$0].name } == ["P1+P5", "P2+P5", "P2+P6", "P3+P7", "P4+P8"])
        #expect(junction.stages.count == 8)
        #expect(junction.detectors.first { $0.name == "D8" }?.groups == [7])
    }
}
