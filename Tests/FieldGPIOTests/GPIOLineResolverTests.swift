import FieldGPIO
import Testing

/// A fake machine: two chips, a few named lines. Named as a fake because it stands in for the
/// kernel's chips, which the VM harness (hardware/vm) tests for real.
private struct FakeCatalog: GPIOLineCatalog {
    let chips = [
        GPIOChipDescription(name: "gpiochip0", label: "pinctrl-bcm2711", lineCount: 58),
        GPIOChipDescription(name: "gpiochip1", label: "raspberrypi-exp-gpio", lineCount: 8),
    ]
    let names = ["LOOP_W": ("gpiochip0", 17), "WDOG": ("gpiochip1", 3)]

    func chip(matching spec: String, purpose: String) throws(GPIOError) -> GPIOChipDescription? {
        if spec == "locked" { throw .chipUnavailable(chip: spec, purpose: purpose, code: 13) }
        return chips.first { $0.name == spec || $0.label == spec || "/dev/\($0.name)" == spec }
    }

    func allChips() -> [GPIOChipDescription] { chips }

    func line(named name: String, chip spec: String?, purpose: String) throws(GPIOError) -> GPIOLineLocation? {
        guard let (chipName, offset) = names[name] else { return nil }
        if let spec, let chip = chips.first(where: { $0.name == spec || $0.label == spec }), chip.name != chipName {
            return nil
        }
        let chip = chips.first { $0.name == chipName }!
        return GPIOLineLocation(chipName: chip.name, chipLabel: chip.label, offset: offset)
    }
}

@Suite struct GPIOLineResolverTests {
    @Test func labelsNamesAndPathsResolveToTheKernelsChipName() throws {
        var resolver = GPIOLineResolver(catalog: FakeCatalog())
        let byLabel = try resolver.resolve(.offset(5, chip: "pinctrl-bcm2711"), for: "lamp W red")
        let byPath = try resolver.resolve(.offset(6, chip: "/dev/gpiochip0"), for: "lamp W amber")
        let byName = try resolver.resolve(.named("WDOG", chip: nil), for: "watchdog")
        #expect(byLabel == GPIOLineLocation(chipName: "gpiochip0", chipLabel: "pinctrl-bcm2711", offset: 5))
        #expect(byPath.chipName == "gpiochip0" && byPath.offset == 6)
        #expect(byName == GPIOLineLocation(chipName: "gpiochip1", chipLabel: "raspberrypi-exp-gpio", offset: 3))
    }

    @Test func theSameLineWrittenTwoWaysIsRefusedNamingBothUses() throws {
        var resolver = GPIOLineResolver(catalog: FakeCatalog())
        _ = try resolver.resolve(.named("LOOP_W", chip: nil), for: "detector W_stop")
        #expect(throws: GPIOError.lineUsedTwice(
            line: "gpiochip0 [pinctrl-bcm2711] offset 17", first: "detector W_stop", second: "lamp S green")) {
            _ = try resolver.resolve(.offset(17, chip: "pinctrl-bcm2711"), for: "lamp S green")
        }
    }

    @Test func aMissingChipIsNamedWithTheChipsThatArePresent() {
        var resolver = GPIOLineResolver(catalog: FakeCatalog())
        do {
            _ = try resolver.resolve(.offset(1, chip: "gpio-sim.0-node0"), for: "detector E_stop")
            Issue.record("resolved a chip that does not exist")
        } catch {
            #expect(error == .chipNotFound(
                chip: "gpio-sim.0-node0", purpose: "detector E_stop",
                available: ["gpiochip0 [pinctrl-bcm2711]", "gpiochip1 [raspberrypi-exp-gpio]"]))
            #expect(error.description.contains("\"gpio-sim.0-node0\" (for detector E_stop) does not exist"))
        }
    }

    @Test func anOffsetBeyondTheChipAndAnUnknownNameAreRefused() {
        var resolver = GPIOLineResolver(catalog: FakeCatalog())
        #expect(throws: GPIOError.offsetOutOfRange(
            chip: "gpiochip1 [raspberrypi-exp-gpio]", offset: 8, lineCount: 8, purpose: "lamp PE walk")) {
            _ = try resolver.resolve(.offset(8, chip: "gpiochip1"), for: "lamp PE walk")
        }
        #expect(throws: GPIOError.lineNameNotFound(name: "LOOP_X", chip: nil, purpose: "detector X")) {
            _ = try resolver.resolve(.named("LOOP_X", chip: nil), for: "detector X")
        }
        #expect(throws: GPIOError.lineNameNotFound(name: "WDOG", chip: "gpiochip0", purpose: "watchdog")) {
            _ = try resolver.resolve(.named("WDOG", chip: "gpiochip0"), for: "watchdog")
        }
    }

    @Test func aChipThatCannotBeOpenedIsReportedAsSuch() {
        var resolver = GPIOLineResolver(catalog: FakeCatalog())
        #expect(throws: GPIOError.chipUnavailable(chip: "locked", purpose: "watchdog", code: 13)) {
            _ = try resolver.resolve(.offset(0, chip: "locked"), for: "watchdog")
        }
    }
}
