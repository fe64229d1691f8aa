import Foundation
import JunctionConfig
import SignalCore
import Testing

/// `[neighbours]`: a full section, travel from distance and speed, and each refusal named by its
/// field and line.
@Suite struct NeighboursConfigTests {
    static let upstream = """
        [upstream]
        junction_id = 1
        key = "00112233445566778899aabbccddeeff"
        central = ["127.0.0.1:4700"]
        """

    static let section = """
        [neighbours]
        listen = "127.0.0.1:4720"
        horizon = 90
        stale_after = 4.5
        late_after = 1.5

        [[neighbours.junction]]
        junction_id = 2
        address = "127.0.0.1:4721"
        key = "ffeeddccbbaa99887766554433221100"
        outflow = { A = 0.8, B = 1 }
        inflow = { B = 0.7, P = 0.3 }
        travel = 30.0

        [[neighbours.junction]]
        junction_id = 3
        address = "localhost:4722"
        key_file = "/etc/junctiond/pair-3.key"
        inflow = { A = 0.5 }
        distance = 420
        speed = 50
        """

    static func source(_ section: String = section, upstream: String = upstream) -> String {
        ConfigFixture.appending(upstream + "\n\n" + section)
    }

    /// The problems of the file with `old` in the section replaced by `new`, as (field, line).
    static func problems(_ old: String, _ new: String) -> [(field: String, line: Int?)] {
        let text = source(ConfigFixture.replacing(old, with: new, in: section))
        return ConfigFixture.problems(text).map { ($0.field, $0.line) }
    }

    static func expectRefused(
        _ old: String, _ new: String, field: String, lineOf marker: String? = nil, occurrence: Int = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let text = source(ConfigFixture.replacing(old, with: new, in: section))
        let problems = ConfigFixture.problems(text)
        let found = problems.first { $0.field == field }
        #expect(found != nil, "expected a problem at \(field), got \(problems)", sourceLocation: sourceLocation)
        if let marker {
            let line = ConfigFixture.line(containing: marker, occurrence: occurrence, in: text)
            #expect(found?.line == line, "\(problems)", sourceLocation: sourceLocation)
        }
    }

    /// A key split over lines with Windows line ends (`\\r\\n` in the TOML string), as the key
    /// reader at start (`WireKey`) takes it.
    @Test func aKeyWithWindowsLineEndsIsRead() throws {
        let text = Self.source(
            ConfigFixture.replacing(
                "key = \"ffeeddccbbaa99887766554433221100\"", with: "key = \"ffeeddccbbaa9988\\r\\n7766554433221100\"",
                in: Self.section))
        let settings = try #require(try JunctionConfigLoader().load(source: text).neighbours)
        #expect(settings.neighbours[0].key == .hex("ffeeddccbbaa99887766554433221100"))
    }

    @Test func withoutTheSectionTheJunctionIsIsolated() throws {
        #expect(try JunctionConfigLoader().load(source: Self.source("")).neighbours == nil)
    }

    @Test func aFullSectionIsRead() throws {
        let settings = try #require(try JunctionConfigLoader().load(source: Self.source()).neighbours)
        #expect(settings.junctionId == 1)
        #expect(settings.listen == UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 4720))
        #expect(settings.horizonTenths == 900)
        #expect(settings.staleAfterTenths == 45)
        #expect(settings.lateAfterTenths == 15)
        #expect(settings.neighbours.count == 2)
        let first = settings.neighbours[0]
        #expect(first.junctionId == 2)
        #expect(first.address == UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 4721))
        #expect(first.key == .hex("ffeeddccbbaa99887766554433221100"))
        #expect(first.outflow.map(\.group) == [0, 1] && first.outflow.map(\.share) == [0.8, 1])
        #expect(first.inflow.map(\.group) == [1, 2] && first.inflow.map(\.share) == [0.7, 0.3])
        #expect(first.travelTenths == 300)
        let second = settings.neighbours[1]
        #expect(second.key == .file("/etc/junctiond/pair-3.key"))
        #expect(second.outflow.isEmpty)
        // 420 m at 50 km/h (13.9 m/s) is 30.24 s.
        #expect(second.travelTenths == 302)
    }

    @Test func defaultsApplyWhenTimingIsLeftOut() throws {
        let section = Self.section.replacingOccurrences(of: "horizon = 90\nstale_after = 4.5\nlate_after = 1.5\n", with: "")
        let settings = try #require(try JunctionConfigLoader().load(source: Self.source(section)).neighbours)
        #expect(settings.horizonTenths == 600 && settings.staleAfterTenths == 30 && settings.lateAfterTenths == 20)
    }

    @Test func theSectionNeedsUpstream() {
        let problems = ConfigFixture.problems(Self.source(upstream: ""))
        #expect(problems.contains { $0.field == "neighbours" && $0.message.contains("[upstream]") }, "\(problems)")
    }

    @Test func unknownKeysAreRefusedAtEveryLevel() {
        Self.expectRefused("horizon = 90", "horizon = 90\ncolour = 1", field: "neighbours.colour", lineOf: "colour")
        Self.expectRefused(
            "travel = 30.0", "travel = 30.0\nlanes = 2", field: "neighbours.junction.#1.lanes", lineOf: "lanes")
        Self.expectRefused(
            "outflow = { A = 0.8, B = 1 }", "outflow = { A = 0.8, X = 1 }", field: "neighbours.junction.#1.outflow.X",
            lineOf: "X = 1")
        Self.expectRefused(
            "inflow = { A = 0.5 }", "inflow = { Q = 0.5 }", field: "neighbours.junction.#2.inflow.Q", lineOf: "Q = 0.5")
    }

    @Test func sharesAreFractionsAndInflowAddsUpToAtMostOne() {
        Self.expectRefused(
            "outflow = { A = 0.8, B = 1 }", "outflow = { A = 1.5, B = 1 }", field: "neighbours.junction.#1.outflow.A",
            lineOf: "A = 1.5")
        Self.expectRefused(
            "inflow = { B = 0.7, P = 0.3 }", "inflow = { B = -0.1 }", field: "neighbours.junction.#1.inflow.B",
            lineOf: "B = -0.1")
        Self.expectRefused(
            "inflow = { B = 0.7, P = 0.3 }", "inflow = { B = 0.7, P = 0.4 }", field: "neighbours.junction.#1.inflow",
            lineOf: "P = 0.4")
        Self.expectRefused(
            "outflow = { A = 0.8, B = 1 }", "outflow = { A = \"most\" }", field: "neighbours.junction.#1.outflow.A")
    }

    @Test func travelIsATimeOrADistanceAndSpeedNotBoth() {
        Self.expectRefused("travel = 30.0", "travel = 30.0\ndistance = 400\nspeed = 50", field: "neighbours.junction.#1.travel")
        Self.expectRefused("travel = 30.0", "", field: "neighbours.junction.#1.travel")
        Self.expectRefused("speed = 50", "", field: "neighbours.junction.#2.speed")
        Self.expectRefused("speed = 50", "speed = 500", field: "neighbours.junction.#2.speed", lineOf: "speed = 500")
        Self.expectRefused("travel = 30.0", "travel = 30.05", field: "neighbours.junction.#1.travel")
        Self.expectRefused("travel = 30.0", "travel = 0", field: "neighbours.junction.#1.travel")
    }

    @Test func eachNeighbourIsAnotherJunctionNamedOnce() {
        Self.expectRefused(
            "junction_id = 3", "junction_id = 2", field: "neighbours.junction.#2.junction_id", lineOf: "junction_id = 2",
            occurrence: 2)
        Self.expectRefused("junction_id = 2", "junction_id = 1", field: "neighbours.junction.#1.junction_id", lineOf: "junction_id = 1", occurrence: 2)
        Self.expectRefused("junction_id = 3", "junction_id = 0", field: "neighbours.junction.#2.junction_id")
    }

    @Test func keysAreReadAsUpstreamReadsThem() {
        Self.expectRefused(
            "key_file = \"/etc/junctiond/pair-3.key\"", "", field: "neighbours.junction.#2.key")
        Self.expectRefused(
            "key_file = \"/etc/junctiond/pair-3.key\"", "key_file = \"/k\"\nkey = \"00112233445566778899aabbccddeeff\"",
            field: "neighbours.junction.#2.key_file")
        Self.expectRefused(
            "key = \"ffeeddccbbaa99887766554433221100\"", "key = \"xyz\"", field: "neighbours.junction.#1.key",
            lineOf: "key = \"xyz\"")
        // Fullwidth digits are hexadecimal digits to Unicode but not to the key reader at start
        // (WireKey): refused here rather than passing --check-config and stopping the daemon.
        let fullwidth = String(repeating: "\u{FF21}\u{FF10}", count: 16)
        Self.expectRefused(
            "key = \"ffeeddccbbaa99887766554433221100\"", "key = \"\(fullwidth)\"", field: "neighbours.junction.#1.key")
    }

    @Test func socketAndTimingAreChecked() {
        Self.expectRefused("listen = \"127.0.0.1:4720\"", "", field: "neighbours.listen")
        Self.expectRefused("listen = \"127.0.0.1:4720\"", "listen = \"127.0.0.1:0\"", field: "neighbours.listen", lineOf: "listen")
        Self.expectRefused("address = \"127.0.0.1:4721\"", "address = \"somewhere\"", field: "neighbours.junction.#1.address")
        Self.expectRefused("horizon = 90", "horizon = 121", field: "neighbours.horizon", lineOf: "horizon = 121")
        Self.expectRefused("stale_after = 4.5", "stale_after = 0", field: "neighbours.stale_after")
        // Shorter than two of the neighbour's one-second sends: its forecast would be cleared between messages.
        Self.expectRefused("stale_after = 4.5", "stale_after = 1.5", field: "neighbours.stale_after")
        Self.expectRefused("late_after = 1.5", "late_after = 1000", field: "neighbours.late_after")
    }

    @Test func theNeighbourSocketMayNotTakeTheUpstreamPort() {
        for (upstreamListen, clash) in [("127.0.0.1:4720", true), ("0.0.0.0:4720", true), ("127.0.0.1:4730", false)] {
            let text = Self.source(upstream: Self.upstream + "\nlisten = \"\(upstreamListen)\"")
            let problems = ConfigFixture.problems(text)
            if clash {
                #expect(problems.map(\.field) == ["neighbours.listen"], "\(upstreamListen): \(problems)")
            } else {
                #expect(problems.isEmpty, "\(upstreamListen): \(problems)")
            }
        }
    }

    @Test func aSectionWithoutNeighboursIsRefused() {
        let section = "[neighbours]\nlisten = \"127.0.0.1:4720\""
        let problems = ConfigFixture.problems(Self.source(section))
        #expect(problems.contains { $0.field == "neighbours.junction" }, "\(problems)")
    }

    @Test func checkConfigSummarisesTheNeighbours() throws {
        let configuration = try JunctionConfigLoader().load(source: Self.source())
        let lines = JunctionConfigSummary.neighbourLines(try #require(configuration.neighbours), junction: configuration.junction)
        #expect(lines.count == 3)
        #expect(lines[0].contains("junction 1 listening on 127.0.0.1:4720"))
        #expect(lines[1].contains("junction 2 at 127.0.0.1:4721: outflow A 0.8, B 1.0; inflow B 0.7, P 0.3; travel 30.0 s"))
        #expect(lines[2].contains("outflow none"))
    }
}
