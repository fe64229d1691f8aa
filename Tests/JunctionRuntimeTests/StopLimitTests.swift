import JunctionConfig
import SignalCore
import Testing

@testable import JunctionRuntime

/// How long a stop waits for flash (`JunctionDaemon.stopLimitSeconds`): a minute for the shipped
/// files, and the file's own flash entry plus 10 s when that is longer, so a long walk is not cut
/// short.
@Suite struct StopLimitTests {
    @Test func theShippedJunctionWaitsAMinute() throws {
        let junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm).junction
        #expect(junction.longestFlashEntry < 500)
        #expect(JunctionDaemon.stopLimitSeconds(junction) == 60)
    }

    @Test func aLongWalkWaitsForItsFlashEntryAndTenSecondsMore() throws {
        var junction = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm).junction
        let crossing = try #require(junction.groups.firstIndex { $0.kind == .pedestrian })
        junction.groups[crossing].timing.minGreen = 2_000
        junction.groups[crossing].timing.clearance = 1_000
        let entry = junction.longestFlashEntry
        #expect(entry > 3_000)
        // Rounded up to whole seconds.
        #expect(JunctionDaemon.stopLimitSeconds(junction) == (entry + 9) / 10 + 10)
    }
}
