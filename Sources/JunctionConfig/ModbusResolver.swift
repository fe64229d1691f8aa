import SignalCore

/// Resolves a read `[modbus]` section against the assembled junction and `[field]`: names to
/// indices, completeness, addresses used twice, shared serial lines, and request timing.
struct ModbusResolver {
    let draft: ModbusSection.Draft
    let field: FieldSelection
    let junction: Junction
    let log: ProblemLog

    private typealias Path = [JunctionProblem.PathComponent]

    /// The settings, or nil when `[field]` does not use Modbus; problems go to `log`.
    static func resolve(
        _ draft: ModbusSection.Draft?, field: FieldSelection, junction: Junction, log: ProblemLog
    ) -> ModbusSettings? {
        guard field.admitsSection(of: .modbus, given: draft != nil, contents: "its units and wiring", log: log),
            let draft
        else { return nil }
        return ModbusResolver(draft: draft, field: field, junction: junction, log: log).resolve()
    }

    private func resolve() -> ModbusSettings {
        let units = resolveUnits()
        let unitIndex = Dictionary(units.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let declared = Set(draft.units.map(\.name))
        var used = ModbusAddressBook()
        let detectors = resolveDetectors(unitIndex, declared, &used)
        let lamps = resolveLamps(unitIndex, declared, &used)
        let watchdog = resolveWatchdog(unitIndex, declared, &used)
        checkRequestTiming(units, used)
        return ModbusSettings(
            units: units, detectors: detectors, lamps: lamps, watchdog: watchdog,
            statisticsLogSeconds: draft.statisticsLogSeconds)
    }

    // MARK: - Units

    private func unitPath(_ entry: ModbusSection.UnitEntry, _ key: String? = nil) -> Path {
        [.key("modbus"), .key("units"), .entry(name: entry.name, index: entry.index)] + (key.map { [.key($0)] } ?? [])
    }

    /// The valid units, first of each name; reports names used twice, serial devices shared with
    /// different line settings, and unit ids used twice on one link.
    private func resolveUnits() -> [ModbusSettings.Unit] {
        var units: [ModbusSettings.Unit] = []
        var seen: Set<String> = []
        var firstOnLink: [String: ModbusSection.UnitEntry] = [:]
        var idsOnLink: [String: [Int: String]] = [:]
        for entry in draft.units {
            if seen.contains(entry.name) {
                log.report(.invalidValue, unitPath(entry, "name"), "unit name \"\(entry.name)\" is used twice")
                continue
            }
            seen.insert(entry.name)
            guard let transport = entry.transport, let unitID = entry.unitID else { continue }
            let link = Self.linkKey(transport)
            if let first = firstOnLink[link], case .rtu(_, let baud, let parity, let data, let stop) = first.transport,
                case .rtu(let device, let myBaud, let myParity, let myData, let myStop) = transport,
                (baud, parity, data, stop) != (myBaud, myParity, myData, myStop)
            {
                log.report(
                    .invalidValue, unitPath(entry, "baud"),
                    "unit \(entry.name) runs \(device) at \(myBaud) \(myData)\(myParity.rawValue)\(myStop), but "
                        + "unit \(first.name) on the same line runs \(baud) \(data)\(parity.rawValue)\(stop); "
                        + "one serial line has one setting")
                continue
            }
            if firstOnLink[link] == nil { firstOnLink[link] = entry }
            if let other = idsOnLink[link]?[unitID] {
                log.report(
                    .invalidValue, unitPath(entry, "unit_id"),
                    "unit_id \(unitID) is already used by unit \(other) on the same \(Self.linkName(transport))")
                continue
            }
            idsOnLink[link, default: [:]][unitID] = entry.name
            units.append(
                ModbusSettings.Unit(
                    name: entry.name, transport: transport, unitID: unitID,
                    pollIntervalMilliseconds: entry.pollIntervalMilliseconds,
                    timeoutMilliseconds: entry.timeoutMilliseconds,
                    staleAfterMilliseconds: entry.staleAfterMilliseconds))
        }
        return units
    }

    /// The unit named at `path + unit`, reporting a name that refers to no unit. A declared but
    /// invalid unit is not reported again.
    private func unit(
        _ name: String, at path: Path, _ index: [String: Int], _ declared: Set<String>
    ) -> Int? {
        if let found = index[name] { return found }
        if !declared.contains(name) {
            let known = draft.units.map(\.name).joined(separator: ", ")
            log.report(
                .unknownName, path + [.key("unit")], "\"\(name)\" is not a [[modbus.units]] name (units: \(known))")
        }
        return nil
    }

    // MARK: - Detectors

    private func resolveDetectors(
        _ unitIndex: [String: Int], _ declared: Set<String>, _ used: inout ModbusAddressBook
    ) -> [ModbusSettings.DetectorInput] {
        var list = WiringList(.modbus, .detectors, junction: junction, log: log)
        guard list.isInUse(field, given: !draft.detectors.isEmpty) else { return [] }
        var inputs: [ModbusSettings.DetectorInput] = []
        for entry in draft.detectors {
            let path = list.path + [.entry(name: entry.detector, index: entry.index)]
            guard let detector = list.match(entry.detector, entry: entry.index, at: path, wired: "an input") else {
                continue
            }
            guard let unit = unit(entry.unit, at: path, unitIndex, declared) else { continue }
            let owner = "detector \(entry.detector)"
            if let input = entry.presenceInput {
                used.claim(
                    .discreteInput, input, unit: unit, unitName: entry.unit, owner: owner,
                    at: path + [.key("presence_input")], log)
            }
            if let register = entry.countRegister {
                used.claim(
                    .inputRegister, register, unit: unit, unitName: entry.unit, owner: owner,
                    at: path + [.key("count_register")], log)
            }
            inputs.append(
                ModbusSettings.DetectorInput(
                    detector: detector, unit: unit, presenceInput: entry.presenceInput,
                    countRegister: entry.countRegister))
        }
        list.reportUnwired()
        return inputs
    }

    // MARK: - Lamps

    private func resolveLamps(
        _ unitIndex: [String: Int], _ declared: Set<String>, _ used: inout ModbusAddressBook
    ) -> [ModbusSettings.Lamp] {
        var list = WiringList(.modbus, .groups, junction: junction, log: log)
        guard list.isInUse(field, given: !draft.lamps.isEmpty) else { return [] }
        var lamps: [ModbusSettings.Lamp] = []
        for entry in draft.lamps {
            let path = list.path + [.entry(name: entry.group, index: entry.index)]
            guard let group = list.match(entry.group, entry: entry.index, at: path, wired: "lamps") else { continue }
            guard let coils = lampCoils(entry, kind: junction.groups[group].kind, at: path),
                let unit = unit(entry.unit, at: path, unitIndex, declared)
            else { continue }
            for (key, coil) in entry.coils {
                used.claim(
                    .coil, coil, unit: unit, unitName: entry.unit, owner: "the \(key) lamp of group \(entry.group)",
                    at: path + [.key(key)], log)
            }
            lamps.append(ModbusSettings.Lamp(group: group, unit: unit, coils: coils))
        }
        list.reportUnwired()
        return lamps
    }

    /// The coils for a group of `kind`: red, amber and green for vehicle heads and arrows, dont_walk
    /// and walk for pedestrians; reports missing coils and coils of the other kind.
    private func lampCoils(_ entry: ModbusSection.LampEntry, kind: SignalGroupKind, at path: Path) -> ModbusSettings
        .LampCoils?
    {
        let needed = kind == .pedestrian ? ModbusSection.pedestrianCoilKeys : ModbusSection.vehicleCoilKeys
        var coil: [String: Int] = [:]
        var valid = true
        for (key, address) in entry.coils {
            guard needed.contains(key) else {
                valid = false
                log.report(
                    .invalidValue, path + [.key(key)],
                    "\(key) is not a lamp of \(entry.group), a \(kind.rawValue) group "
                        + "(its lamps: \(needed.joined(separator: ", ")))"
                )
                continue
            }
            coil[key] = address
        }
        for key in needed where coil[key] == nil {
            valid = false
            log.report(.missingKey, path, "missing the \(key) coil of \(entry.group), a \(kind.rawValue) group")
        }
        guard valid else { return nil }
        if kind == .pedestrian {
            return .pedestrian(dontWalk: coil["dont_walk"]!, walk: coil["walk"]!)
        }
        return .vehicle(red: coil["red"]!, amber: coil["amber"]!, green: coil["green"]!)
    }

    // MARK: - Watchdog

    private func resolveWatchdog(
        _ unitIndex: [String: Int], _ declared: Set<String>, _ used: inout ModbusAddressBook
    ) -> ModbusSettings.Watchdog? {
        guard let watchdog = draft.watchdog else { return nil }
        let path: Path = [.key("modbus"), .key("watchdog")]
        guard field.outputs == .modbus else {
            log.report(.layout, path, "[modbus.watchdog] is given but field.outputs is \"\(field.outputs.rawValue)\"")
            return nil
        }
        guard let unit = unit(watchdog.unit, at: path, unitIndex, declared), let coil = watchdog.coil else {
            return nil
        }
        used.claim(
            .coil, coil, unit: unit, unitName: watchdog.unit, owner: "the watchdog", at: path + [.key("coil")], log)
        return ModbusSettings.Watchdog(unit: unit, coil: coil)
    }

    // MARK: - Timing on serial lines

    /// On a serial line the bytes take real time: each request must fit its timeout, and a unit's
    /// requests together must fit its poll interval. TCP is not checked: its wire time is tiny.
    private func checkRequestTiming(_ units: [ModbusSettings.Unit], _ used: ModbusAddressBook) {
        for (index, unit) in units.enumerated() {
            guard case .rtu(_, let baud, let parity, let dataBits, let stopBits) = unit.transport else { continue }
            let bitsPerCharacter = 1 + dataBits + (parity == .none ? 0 : 1) + stopBits
            let exchanges = ModbusFrameTiming.exchangeCharacters(
                discreteInputs: used.addresses(.discreteInput, unit: index),
                inputRegisters: used.addresses(.inputRegister, unit: index), coils: used.addresses(.coil, unit: index))
            guard let longest = exchanges.max() else { continue }
            let milliseconds = { (characters: Int) in (characters * bitsPerCharacter * 1000 + baud - 1) / baud }
            guard let entry = draft.units.first(where: { $0.name == unit.name }) else { continue }
            let setting = "\(baud) \(dataBits)\(parity.rawValue)\(stopBits)"
            if unit.timeoutMilliseconds < milliseconds(longest) {
                log.report(
                    .outOfRange, unitPath(entry, "timeout_ms"),
                    "timeout_ms \(unit.timeoutMilliseconds) is shorter than the \(milliseconds(longest)) ms the "
                        + "longest request and answer of unit \(unit.name) take on the wire at \(setting)")
            }
            let cycle = milliseconds(exchanges.reduce(0, +))
            if unit.pollIntervalMilliseconds <= cycle {
                log.report(
                    .outOfRange, unitPath(entry, "poll_interval_ms"),
                    "poll_interval_ms \(unit.pollIntervalMilliseconds) is not longer than the \(cycle) ms one poll of "
                        + "unit \(unit.name) takes on the wire at \(setting)")
            }
        }
    }

    private static func linkKey(_ transport: ModbusSettings.Transport) -> String {
        switch transport {
        case .tcp(let host, let port): return "tcp:\(host):\(port)"
        case .rtu(let device, _, _, _, _): return "rtu:\(device)"
        }
    }

    private static func linkName(_ transport: ModbusSettings.Transport) -> String {
        switch transport {
        case .tcp(let host, let port): return "endpoint \(host):\(port)"
        case .rtu(let device, _, _, _, _): return "serial line \(device)"
        }
    }
}
