import JunctionConfig
import Testing

/// `[daemon]`'s tick-stall and clock-synchronisation limits: defaults, values, and ranges.
@Suite struct DaemonTimekeepingConfigTests {
    @Test func withoutTheKeysTheDefaultsStand() throws {
        let daemon = try JunctionConfigLoader().load(source: ConfigFixture.valid).daemon
        #expect(daemon.tickStallLimitMilliseconds == 500)
        #expect(daemon.clockUnsynchronisedAlarmSeconds == 900)
    }

    @Test func theKeysAreRead() throws {
        let source = ConfigFixture.appending("[daemon]\ntick_stall_limit_ms = 750\nclock_unsynchronised_alarm_s = 120")
        let daemon = try JunctionConfigLoader().load(source: source).daemon
        #expect(daemon.tickStallLimitMilliseconds == 750)
        #expect(daemon.clockUnsynchronisedAlarmSeconds == 120)
    }

    @Test(arguments: [
        ("tick_stall_limit_ms = 100", "daemon.tick_stall_limit_ms"),
        ("tick_stall_limit_ms = 60001", "daemon.tick_stall_limit_ms"),
        ("clock_unsynchronised_alarm_s = 5", "daemon.clock_unsynchronised_alarm_s"),
        ("clock_unsynchronised_alarm_s = 604801", "daemon.clock_unsynchronised_alarm_s"),
    ])
    func aValueOutOfRangeIsAProblemAtItsLine(_ line: String, _ field: String) {
        let source = ConfigFixture.appending("[daemon]\n" + line)
        let problems = ConfigFixture.problems(source)
        #expect(problems.count == 1)
        #expect(problems.first?.kind == .outOfRange)
        #expect(problems.first?.field == field)
        #expect(problems.first?.line == ConfigFixture.line(containing: line, in: source))
    }

    @Test func aMistypedKeyIsRejected() {
        let problems = ConfigFixture.problems(ConfigFixture.appending("[daemon]\ntick_stall_limit = 750"))
        #expect(problems.map(\.field) == ["daemon.tick_stall_limit"])
    }
}
