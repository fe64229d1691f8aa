import JunctionConfig
import Testing

/// `[snmp]`: the AgentX endpoint forms, defaults, and the problems a technician can make.
@Suite struct SNMPConfigTests {
    static func load(_ section: String) throws -> SNMPSettings? {
        try JunctionConfigLoader().load(source: ConfigFixture.appending(section)).snmp
    }

    static func fields(_ section: String) -> [String] {
        ConfigFixture.problems(ConfigFixture.appending(section)).map(\.field)
    }

    @Test func withoutTheSectionThereIsNoSubagent() throws {
        #expect(try JunctionConfigLoader().load(source: ConfigFixture.valid).snmp == nil)
    }

    @Test func unixAndTCPEndpointsAreRead() throws {
        let unix = try #require(try Self.load("[snmp]\nenabled = true\nagentx = \"/var/agentx/master\""))
        #expect(unix.agentX == .unix("/var/agentx/master"))
        #expect(unix.enabled)
        let tcp = try #require(try Self.load("[snmp]\nagentx = \"tcp:127.0.0.1:705\"\ntimeout_ms = 2000"))
        #expect(tcp.agentX == .tcp(host: "127.0.0.1", port: 705))
        #expect(tcp.timeoutMilliseconds == 2000)
        let local = try #require(try Self.load("[snmp]\nagentx = \"tcp:localhost:705\""))
        #expect(local.agentX == .tcp(host: "localhost", port: 705))
    }

    @Test func badValuesAreNamedByField() {
        #expect(Self.fields("[snmp]\nagentx = \"relative/path\"").contains("snmp.agentx"))
        #expect(Self.fields("[snmp]\nagentx = \"tcp:127.0.0.1:0\"").contains("snmp.agentx"))
        // The subagent connects to addresses only: a host name would pass here and stop the daemon.
        #expect(Self.fields("[snmp]\nagentx = \"tcp:snmpmaster:705\"").contains("snmp.agentx"))
        #expect(Self.fields("[snmp]\ntimeout_ms = -5").contains("snmp.timeout_ms"))
        #expect(Self.fields("[snmp]\ncolour = \"red\"").contains("snmp.colour"))
    }
}
