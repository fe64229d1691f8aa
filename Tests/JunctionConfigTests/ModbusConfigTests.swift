import JunctionConfig
import SignalCore
import Testing

/// A `[modbus]` wiring for the fixture junction (groups A, B vehicle, P pedestrian; detectors DA,
/// PB): an I/O module on TCP with the lamps and the push button, a detector card on RTU.
private enum ModbusFixture {
    static let wiring = """
        [field]
        detectors = "modbus"
        outputs = "modbus"

        [modbus]
        statistics_log_seconds = 5

        [[modbus.units]]
        name = "io"
        transport = "tcp"
        host = "192.168.50.11"
        port = 1502
        unit_id = 1
        poll_interval_ms = 100
        timeout_ms = 50
        stale_after_ms = 300

        [[modbus.units]]
        name = "card"
        transport = "rtu"
        device = "/dev/ttyS1"
        baud = 38400
        parity = "E"
        data_bits = 8
        stop_bits = 1
        unit_id = 2
        poll_interval_ms = 200
        timeout_ms = 80
        stale_after_ms = 600

        [[modbus.detectors]]
        detector = "DA"
        unit = "card"
        presence_input = 4
        count_register = 7

        [[modbus.detectors]]
        detector = "PB"
        unit = "io"
        presence_input = 0

        [[modbus.lamps]]
        group = "A"
        unit = "io"
        red = 0
        amber = 1
        green = 2

        [[modbus.lamps]]
        group = "B"
        unit = "io"
        red = 3
        amber = 4
        green = 5

        [[modbus.lamps]]
        group = "P"
        unit = "io"
        dont_walk = 6
        walk = 7

        [modbus.watchdog]
        unit = "io"
        coil = 15
        """

    static let valid = ConfigFixture.appending(wiring)

    /// The valid Modbus fixture with `old` (which must occur exactly once) replaced by `new`.
    static func replacing(_ old: String, with new: String, in source: String = valid) -> String {
        ConfigFixture.replacing(old, with: new, in: source)
    }
}

private typealias M = ModbusFixture

@Suite struct ModbusConfigTests {
    static let cases: [InvalidConfig] = [
        InvalidConfig(
            label: "unknown unit", source: M.replacing("unit = \"card\"", with: "unit = \"cards\""),
            kind: .unknownName, field: "modbus.detectors.DA.unit", fragment: "\"cards\" is not a [[modbus.units]] name",
            lineText: "unit = \"cards\""),
        InvalidConfig(
            label: "unknown detector", source: M.replacing("detector = \"PB\"", with: "detector = \"PX\""),
            kind: .unknownName, field: "modbus.detectors.PX.detector", fragment: "\"PX\" is not a detector",
            lineText: "detector = \"PX\""),
        InvalidConfig(
            label: "unknown group", source: M.replacing("group = \"B\"", with: "group = \"C\""),
            kind: .unknownName, field: "modbus.lamps.C.group", fragment: "\"C\" is not a signal group",
            lineText: "group = \"C\""),
        InvalidConfig(
            label: "a discrete input used twice on one unit",
            source: M.replacing(
                "presence_input = 0", with: "presence_input = 4",
                in: M.replacing("unit = \"io\"\npresence_input", with: "unit = \"card\"\npresence_input")),
            kind: .invalidValue, field: "modbus.detectors.PB.presence_input",
            fragment: "discrete input 4 of unit card is already used by detector DA", lineText: "presence_input = 4",
            occurrence: 2),
        InvalidConfig(
            label: "a coil used by a lamp and the watchdog", source: M.replacing("coil = 15", with: "coil = 4"),
            kind: .invalidValue, field: "modbus.watchdog.coil",
            fragment: "coil 4 of unit io is already used by the amber lamp of group B", lineText: "coil = 4"),
        InvalidConfig(
            label: "a coil used by two lamps", source: M.replacing("walk = 7", with: "walk = 2"),
            kind: .invalidValue, field: "modbus.lamps.P.walk", fragment: "coil 2 of unit io is already used by",
            lineText: "walk = 2"),
        InvalidConfig(
            label: "baud not a standard rate", source: M.replacing("baud = 38400", with: "baud = 38000"),
            kind: .invalidValue, field: "modbus.units.card.baud", fragment: "baud 38000 is not a standard rate",
            lineText: "baud = 38000"),
        InvalidConfig(
            label: "parity not N, E or O", source: M.replacing("parity = \"E\"", with: "parity = \"even\""),
            kind: .invalidValue, field: "modbus.units.card.parity", fragment: "is not N, E or O",
            lineText: "parity = \"even\""),
        InvalidConfig(
            label: "nine data bits", source: M.replacing("data_bits = 8", with: "data_bits = 9"),
            kind: .invalidValue, field: "modbus.units.card.data_bits", fragment: "data_bits 9 is not 7 or 8",
            lineText: "data_bits = 9"),
        InvalidConfig(
            label: "three stop bits", source: M.replacing("stop_bits = 1", with: "stop_bits = 3"),
            kind: .invalidValue, field: "modbus.units.card.stop_bits", fragment: "stop_bits 3 is not 1 or 2",
            lineText: "stop_bits = 3"),
        InvalidConfig(
            label: "timeout not shorter than the poll interval",
            source: M.replacing("timeout_ms = 50", with: "timeout_ms = 100"),
            kind: .outOfRange, field: "modbus.units.io.timeout_ms", fragment: "shorter than poll_interval_ms 100",
            lineText: "timeout_ms = 100"),
        InvalidConfig(
            label: "staleness limit below poll interval plus timeout",
            source: M.replacing("stale_after_ms = 300", with: "stale_after_ms = 120"),
            kind: .outOfRange, field: "modbus.units.io.stale_after_ms",
            fragment: "at least poll_interval_ms + timeout_ms (150)",
            lineText: "stale_after_ms = 120"),
        InvalidConfig(
            label: "host name instead of an address", source: M.replacing("192.168.50.11", with: "io1.cabinet"),
            kind: .invalidValue, field: "modbus.units.io.host", fragment: "is not an IPv4 address",
            lineText: "host = \"io1.cabinet\""),
        InvalidConfig(
            label: "port out of range", source: M.replacing("port = 1502", with: "port = 70000"),
            kind: .outOfRange, field: "modbus.units.io.port", fragment: "outside 1–65535", lineText: "port = 70000"),
        InvalidConfig(
            label: "RTU unit id 0 (broadcast)", source: M.replacing("unit_id = 2", with: "unit_id = 0"),
            kind: .outOfRange, field: "modbus.units.card.unit_id", fragment: "outside 1–247 for Modbus RTU",
            lineText: "unit_id = 0"),
        InvalidConfig(
            label: "a TCP key on an RTU unit",
            source: M.replacing("device = \"/dev/ttyS1\"", with: "device = \"/dev/ttyS1\"\nport = 502"),
            kind: .unknownKey, field: "modbus.units.card.port", fragment: "for a rtu unit", lineText: "port = 502"),
        InvalidConfig(
            label: "a misspelt key", source: M.replacing("presence_input = 4", with: "presence_inputs = 4"),
            kind: .unknownKey, field: "modbus.detectors.DA.presence_inputs", fragment: "unknown key",
            lineText: "presence_inputs = 4"),
        InvalidConfig(
            label: "a detector without an input", source: M.replacing("presence_input = 0\n", with: ""),
            kind: .missingKey, field: "modbus.detectors.PB", fragment: "give presence_input",
            lineText: "[[modbus.detectors]]", occurrence: 2),
        InvalidConfig(
            label: "a detector left out although detectors come from Modbus",
            source: M.replacing(
                "[[modbus.detectors]]\ndetector = \"PB\"\nunit = \"io\"\npresence_input = 0\n", with: ""),
            kind: .missingKey, field: "modbus.detectors", fragment: "detector PB has no [[modbus.detectors]] entry",
            lineText: "[[modbus.detectors]]"),
        InvalidConfig(
            label: "a vehicle group without its amber coil", source: M.replacing("amber = 4\n", with: ""),
            kind: .missingKey, field: "modbus.lamps.B", fragment: "missing the amber coil of B, a vehicle group",
            lineText: "[[modbus.lamps]]", occurrence: 2),
        InvalidConfig(
            label: "a red lamp on a pedestrian group", source: M.replacing("dont_walk = 6", with: "red = 6"),
            kind: .invalidValue, field: "modbus.lamps.P.red", fragment: "red is not a lamp of P, a pedestrian group",
            lineText: "red = 6"),
        InvalidConfig(
            label: "a unit id used twice on one endpoint",
            source: M.replacing(
                "transport = \"rtu\"\ndevice = \"/dev/ttyS1\"\nbaud = 38400\nparity = \"E\"\ndata_bits = 8\n"
                    + "stop_bits = 1\nunit_id = 2",
                with: "transport = \"tcp\"\nhost = \"192.168.50.11\"\nport = 1502\nunit_id = 1"),
            kind: .invalidValue, field: "modbus.units.card.unit_id", fragment: "unit_id 1 is already used by unit io",
            lineText: "unit_id = 1", occurrence: 2),
        InvalidConfig(
            label: "two units on one serial line with different settings",
            source: M.replacing(
                "transport = \"tcp\"\nhost = \"192.168.50.11\"\nport = 1502",
                with: "transport = \"rtu\"\ndevice = \"/dev/ttyS1\"\nbaud = 19200"),
            kind: .invalidValue, field: "modbus.units.card.baud", fragment: "one serial line has one setting",
            lineText: "baud = 38400"),
        InvalidConfig(
            label: "an RTU timeout shorter than the wire time",
            source: M.replacing(
                "baud = 38400", with: "baud = 1200", in: M.replacing("timeout_ms = 80", with: "timeout_ms = 20")),
            kind: .outOfRange, field: "modbus.units.card.timeout_ms", fragment: "on the wire at 1200 8E1",
            lineText: "timeout_ms = 20"),
        InvalidConfig(
            label: "Modbus selected without a [modbus] section",
            source: ConfigFixture.appending("[field]\ndetectors = \"modbus\""),
            kind: .missingKey, field: "field.detectors", fragment: "needs a [modbus] section",
            lineText: "detectors = \"modbus\""),
        InvalidConfig(
            label: "Modbus detectors while detectors are simulated",
            source: M.replacing("detectors = \"modbus\"", with: "detectors = \"simulated\""),
            kind: .layout, field: "modbus.detectors", fragment: "field.detectors is \"simulated\"",
            lineText: "[[modbus.detectors]]"),
        InvalidConfig(
            label: "statistics log interval out of range",
            source: M.replacing("statistics_log_seconds = 5", with: "statistics_log_seconds = -1"),
            kind: .outOfRange, field: "modbus.statistics_log_seconds", fragment: "outside 0–86400",
            lineText: "statistics_log_seconds = -1"),
    ]

    @Test(arguments: cases)
    func isRejectedWithFieldMessageAndLine(_ invalid: InvalidConfig) {
        InvalidConfigTests().isRejectedWithFieldMessageAndLine(invalid)
    }

    @Test func theWiringResolvesToIndices() throws {
        let configuration = try JunctionConfigLoader().load(source: M.valid, name: "modbus.toml")
        let modbus = try #require(configuration.modbus)
        #expect(configuration.field == FieldSelection(detectors: .modbus, outputs: .modbus))
        #expect(modbus.units.map(\.name) == ["io", "card"])
        #expect(modbus.units[0].transport == .tcp(host: "192.168.50.11", port: 1502))
        #expect(
            modbus.units[1].transport
                == .rtu(device: "/dev/ttyS1", baud: 38400, parity: .even, dataBits: 8, stopBits: 1))
        #expect(modbus.units[1].pollIntervalMilliseconds == 200)
        #expect(modbus.units[1].staleAfterMilliseconds == 600)
        let da = try #require(modbus.detectors.first { $0.detector == 0 })
        #expect(da.unit == 1 && da.presenceInput == 4 && da.countRegister == 7)
        let pb = try #require(modbus.detectors.first { $0.detector == 1 })
        #expect(pb.unit == 0 && pb.presenceInput == 0 && pb.countRegister == nil)
        #expect(modbus.lamps.first { $0.group == 2 }?.coils == .pedestrian(dontWalk: 6, walk: 7))
        #expect(modbus.lamps.first { $0.group == 1 }?.coils == .vehicle(red: 3, amber: 4, green: 5))
        #expect(modbus.watchdog?.unit == 0 && modbus.watchdog?.coil == 15)
        #expect(modbus.statisticsLogSeconds == 5)
    }

    @Test func timingsDefaultFromThePollInterval() throws {
        var source = M.replacing("timeout_ms = 50\nstale_after_ms = 300\n", with: "")
        source = M.replacing("poll_interval_ms = 100\n", with: "poll_interval_ms = 250\n", in: source)
        let unit = try #require(try JunctionConfigLoader().load(source: source).modbus?.units.first)
        #expect(unit.timeoutMilliseconds == 125)
        #expect(unit.staleAfterMilliseconds == 750)
    }

    @Test func lampsMayStayOnAnotherBackend() throws {
        var source = M.replacing("outputs = \"modbus\"", with: "outputs = \"simulated\"")
        source = M.replacing("[modbus.watchdog]\nunit = \"io\"\ncoil = 15", with: "", in: source)
        for group in ["A", "B", "P"] {
            let start = try #require(source.range(of: "[[modbus.lamps]]\ngroup = \"\(group)\""))
            let end = source[start.upperBound...].range(of: "\n\n")?.upperBound ?? source.endIndex
            source.removeSubrange(start.lowerBound..<end)
        }
        let modbus = try #require(try JunctionConfigLoader().load(source: source).modbus)
        #expect(modbus.lamps.isEmpty && modbus.watchdog == nil)
        #expect(modbus.detectors.count == 2)
    }

    @Test func theCirebonModbusExampleWiresEveryDetectorAndGroup() throws {
        let configuration = try ExampleFiles.load("cirebon-modbus.toml")
        let modbus = try #require(configuration.modbus)
        let junction = configuration.junction
        #expect(Set(modbus.detectors.map(\.detector)) == Set(junction.detectors.indices))
        #expect(Set(modbus.lamps.map(\.group)) == Set(junction.groups.indices))
        #expect(modbus.units.map(\.name) == ["loops", "io1", "io2", "io3"])
        #expect(modbus.watchdog != nil)
        let plain = try ExampleFiles.load("cirebon-4arm.toml")
        #expect(junction == plain.junction, "the Modbus example runs the same junction as cirebon-4arm.toml")
    }

    @Test func addressesOutsideTheProtocolRangeAreRejected() {
        let problems = ConfigFixture.problems(M.replacing("count_register = 7", with: "count_register = 65536"))
        #expect(problems.contains { $0.kind == .outOfRange && $0.field == "modbus.detectors.DA.count_register" })
    }

    @Test func ipv4AddressesAreRecognised() {
        for good in ["127.0.0.1", "192.168.50.11", "0.0.0.0"] {
            #expect(ConfigFixture.problems(M.replacing("192.168.50.11", with: good)).isEmpty, "\(good)")
        }
        // Leading zeros: inet_addr, which libmodbus uses, reads 010 as octal 8 and 08 as no address.
        for bad in ["256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "1..2.3", "192.168.001.010", "192.168.1.08",
                    "00.1.2.3"] {
            let problems = ConfigFixture.problems(M.replacing("192.168.50.11", with: bad))
            #expect(problems.contains { $0.field == "modbus.units.io.host" }, "\(bad)")
        }
    }
}
