import JunctionConfig
import SignalCore
import Testing

/// A `[gpio]` wiring for the fixture junction (groups A, B vehicle, P pedestrian; detectors DA,
/// PB) in the forms a file may use: offsets on the default chip, a line name, an entry's own
/// chip, and an inline `{ chip, line }` table.
private enum GPIOFixture {
    static let wiring = """
        [field]
        detectors = "gpio"
        outputs = "gpio"

        [gpio]
        chip = "pinctrl-bcm2711"
        debounce_ms = 15
        report_interval_s = 30
        lamp_drive = "open_drain"
        lamp_bias = "pull_up"
        watchdog = "CABINET_WDOG"

        [[gpio.detectors]]
        detector = "DA"
        line = 17
        active_low = true
        bias = "pull_up"

        [[gpio.detectors]]
        detector = "PB"
        line = "BUTTON_P"
        debounce_ms = 40

        [[gpio.lamps]]
        group = "A"
        red = 5
        amber = 6
        green = 13

        [[gpio.lamps]]
        group = "B"
        chip = "gpiochip2"
        red = 0
        amber = 1
        green = { chip = "gpiochip3", line = 7 }

        [[gpio.lamps]]
        group = "P"
        dont_walk = 19
        walk = 26
        """

    static var source: String { ConfigFixture.appending(wiring) }

    /// The fixture with `old` (exactly once in the wiring) replaced by `new`.
    static func replacing(_ old: String, with new: String) -> String {
        ConfigFixture.replacing(old, with: new, in: source)
    }
}

@Suite struct GPIOConfigTests {
    private func problem(_ source: String, field: String) -> ConfigProblem? {
        ConfigFixture.problems(source).first { $0.field == field }
    }

    @Test func aCompleteWiringResolvesNamesToIndicesAndKeepsEveryForm() throws {
        let configuration = try JunctionConfigLoader().load(source: GPIOFixture.source)
        let gpio = try #require(configuration.gpio)
        #expect(configuration.field == FieldSelection(detectors: .gpio, outputs: .gpio))
        #expect(gpio.detectors == [
            .init(detector: 0, line: .offset(17, chip: "pinctrl-bcm2711"), activeLow: true, debounceMilliseconds: 15, bias: .pullUp),
            .init(detector: 1, line: .named("BUTTON_P", chip: nil), activeLow: false, debounceMilliseconds: 40, bias: .asIs),
        ])
        #expect(gpio.lamps.first { $0.group == 0 }?.lines == [
            .red: .offset(5, chip: "pinctrl-bcm2711"), .amber: .offset(6, chip: "pinctrl-bcm2711"),
            .green: .offset(13, chip: "pinctrl-bcm2711"),
        ])
        #expect(gpio.lamps.first { $0.group == 1 }?.lines == [
            .red: .offset(0, chip: "gpiochip2"), .amber: .offset(1, chip: "gpiochip2"), .green: .offset(7, chip: "gpiochip3"),
        ])
        #expect(gpio.lamps.first { $0.group == 2 }?.lines == [
            .dontWalk: .offset(19, chip: "pinctrl-bcm2711"), .walk: .offset(26, chip: "pinctrl-bcm2711"),
        ])
        #expect(gpio.watchdog == .named("CABINET_WDOG", chip: nil))
        #expect(gpio.lampDrive == .openDrain && gpio.lampBias == .pullUp && !gpio.lampActiveLow)
        #expect(gpio.reportIntervalSeconds == 30 && gpio.staleAfterMilliseconds == 1000)
    }

    @Test func aLineUsedTwiceIsRejectedNamingBothUsesAndTheLine() {
        let source = GPIOFixture.replacing("dont_walk = 19", with: "dont_walk = 17")
        let found = problem(source, field: "gpio.lamps.P.dont_walk")
        #expect(found?.message == "pinctrl-bcm2711 offset 17 is wired twice: for detector DA and for the dont_walk lamp of group P")
        #expect(found?.line == ConfigFixture.line(containing: "dont_walk = 17", in: source))
    }

    @Test func theWatchdogOnALampLineIsRejected() {
        let source = GPIOFixture.replacing("watchdog = \"CABINET_WDOG\"", with: "watchdog = 13")
        let found = problem(source, field: "gpio.watchdog")
        #expect(found?.message == "pinctrl-bcm2711 offset 13 is wired twice: for the green lamp of group A and for the watchdog")
        #expect(found?.line == ConfigFixture.line(containing: "watchdog = 13", in: source))
    }

    @Test func unknownDetectorsAndGroupsAreNamed() {
        let source = GPIOFixture.replacing("detector = \"PB\"", with: "detector = \"PX\"")
        let unknown = problem(source, field: "gpio.detectors.PX.detector")
        #expect(unknown?.kind == .unknownName)
        #expect(unknown?.message == "\"PX\" is not a detector (detectors: DA, PB)")
        #expect(unknown?.line == ConfigFixture.line(containing: "detector = \"PX\"", in: source))
        let missing = problem(source, field: "gpio.detectors")
        #expect(missing?.message == "detector PB has no [[gpio.detectors]] entry, but field.detectors is \"gpio\"")

        let group = GPIOFixture.replacing("group = \"B\"", with: "group = \"Q\"")
        #expect(problem(group, field: "gpio.lamps.Q.group")?.message == "\"Q\" is not a signal group (groups: A, B, P)")
    }

    @Test func aHeadMustHaveExactlyTheLampsOfItsKind() {
        let missingAmber = GPIOFixture.replacing("amber = 6\n", with: "")
        #expect(problem(missingAmber, field: "gpio.lamps.A.amber")?.message == "group A (vehicle) has no amber line")

        let walkOnVehicle = GPIOFixture.replacing("green = 13", with: "green = 13\nwalk = 20")
        let found = problem(walkOnVehicle, field: "gpio.lamps.A.walk")
        #expect(found?.message == "group A is a vehicle head: its lamps are red, amber, green, not walk")
        #expect(found?.line == ConfigFixture.line(containing: "walk = 20", in: walkOnVehicle))
    }

    @Test func anOffsetWithoutAChipIsRejected() {
        let source = GPIOFixture.replacing("chip = \"pinctrl-bcm2711\"\n", with: "")
        let found = problem(source, field: "gpio.detectors.DA.line")
        #expect(found?.kind == .missingKey)
        #expect(found?.message == "offset 17 needs a chip: set chip on this entry or in [gpio] (or name the line)")
        // Entries with their own chip, names and inline tables still load.
        #expect(problem(source, field: "gpio.lamps.B.red") == nil)
        #expect(problem(source, field: "gpio.detectors.PB.line") == nil)
    }

    @Test func missingAndBadValuesNameTheirField() {
        let noLine = GPIOFixture.replacing("line = \"BUTTON_P\"\n", with: "")
        #expect(problem(noLine, field: "gpio.detectors.PB.line")?.kind == .missingKey)

        let negative = GPIOFixture.replacing("red = 5", with: "red = -1")
        #expect(problem(negative, field: "gpio.lamps.A.red")?.message == "line offset -1 is outside 0–1023")

        let longName = GPIOFixture.replacing("\"BUTTON_P\"", with: "\"\(String(repeating: "X", count: 32))\"")
        #expect(problem(longName, field: "gpio.detectors.PB.line")?.kind == .invalidValue)

        let debounce = GPIOFixture.replacing("debounce_ms = 40", with: "debounce_ms = 5000")
        #expect(problem(debounce, field: "gpio.detectors.PB.debounce_ms")?.message == "debounce_ms 5000 is outside 0–1000")

        let bias = GPIOFixture.replacing("active_low = true\nbias = \"pull_up\"", with: "active_low = true\nbias = \"up\"")
        #expect(problem(bias, field: "gpio.detectors.DA.bias")?.kind == .invalidValue)

        let typo = GPIOFixture.replacing("active_low = true", with: "activelow = true")
        #expect(problem(typo, field: "gpio.detectors.DA.activelow")?.kind == .unknownKey)

        let inline = GPIOFixture.replacing("line = 7 }", with: "offset = 7 }")
        #expect(problem(inline, field: "gpio.lamps.B.green.offset")?.kind == .unknownKey)
        #expect(problem(inline, field: "gpio.lamps.B.green.line")?.kind == .missingKey)
    }

    @Test func theWatchdogIsRequiredForGPIOOutputs() {
        let source = GPIOFixture.replacing("watchdog = \"CABINET_WDOG\"\n", with: "")
        let found = problem(source, field: "gpio.watchdog")
        #expect(found?.kind == .missingKey)
        #expect(found?.message.contains("needs a watchdog line") == true)
    }

    @Test func fieldAndSectionMustAgree() {
        let noSection = ConfigFixture.appending("[field]\ndetectors = \"gpio\"")
        #expect(problem(noSection, field: "field.detectors")?.message == "detectors = \"gpio\" needs a [gpio] section with its wiring")

        let unused = GPIOFixture.replacing("detectors = \"gpio\"\noutputs = \"gpio\"", with: "detectors = \"simulated\"")
        #expect(problem(unused, field: "gpio")?.kind == .layout)

        let inputsOnly = GPIOFixture.replacing("outputs = \"gpio\"", with: "outputs = \"simulated\"")
        #expect(problem(inputsOnly, field: "gpio.lamps")?.kind == .layout)
        #expect(problem(inputsOnly, field: "gpio.watchdog")?.kind == .layout)
    }

    @Test func detectorsOnGPIOAloneNeedNoLampsOrWatchdog() throws {
        let wiring = """
            [field]
            detectors = "gpio"

            [gpio]
            chip = "gpiochip0"

            [[gpio.detectors]]
            detector = "DA"
            line = 4

            [[gpio.detectors]]
            detector = "PB"
            line = 5
            """
        let gpio = try #require(try JunctionConfigLoader().load(source: ConfigFixture.appending(wiring)).gpio)
        #expect(gpio.detectors.map(\.detector) == [0, 1])
        #expect(gpio.lamps.isEmpty && gpio.watchdog == nil)
    }

    @Test func theShippedGPIOJunctionLoads() throws {
        let path = #filePath.components(separatedBy: "/Tests/")[0] + "/hardware/junctions/t-junction-gpio.toml"
        let configuration = try JunctionConfigLoader().load(path: path)
        let gpio = try #require(configuration.gpio)
        #expect(gpio.detectors.count == configuration.junction.detectors.count)
        #expect(gpio.lamps.count == configuration.junction.groups.count)
        #expect(gpio.watchdog != nil)
    }
}
