import SignalCore
import TOML
import SystemInterface

/// `[modbus]`: the units (`[[modbus.units]]`), the detector inputs (`[[modbus.detectors]]`), the
/// lamp coils (`[[modbus.lamps]]`) and the watchdog coil (`[modbus.watchdog]`).
///
/// `read` checks each entry on its own (types, ranges, serial settings, timings); `resolve`, once
/// the junction exists, checks names, completeness against `[field]`, addresses used twice, units
/// sharing a serial line, and whether each unit's requests fit its timeout and poll interval.
/// Every problem names its field and, where the file has it, its line.
enum ModbusSection {
    static let unitLimit = 32
    /// Rates termios offers and Modbus devices use.
    static let standardBauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400]
    static let addressRange = 0...65535
    static let pollIntervalRange = 10...60_000
    static let largestStaleAfter = 600_000
    static let statisticsLogRange = 0...86_400

    /// A `[[modbus.units]]` entry as read; `transport` is nil when its settings were invalid.
    struct UnitEntry {
        var index: Int
        var name: String
        var transport: ModbusSettings.Transport?
        var unitID: Int?
        var pollIntervalMilliseconds: Int
        var timeoutMilliseconds: Int
        var staleAfterMilliseconds: Int
    }

    /// A `[[modbus.detectors]]` entry as read.
    struct DetectorEntry {
        var index: Int
        var detector: String
        var unit: String
        var presenceInput: Int?
        var countRegister: Int?
    }

    /// A `[[modbus.lamps]]` entry as read; which coils it needs depends on the group's kind.
    struct LampEntry {
        var index: Int
        var group: String
        var unit: String
        var coils: [(key: String, address: Int)]
    }

    /// What the section said, by name, before the junction exists.
    struct Draft {
        var units: [UnitEntry] = []
        var detectors: [DetectorEntry] = []
        var lamps: [LampEntry] = []
        var watchdog: (unit: String, coil: Int?)?
        var statisticsLogSeconds = 60
    }

    static let vehicleCoilKeys = ["red", "amber", "green"]
    static let pedestrianCoilKeys = ["dont_walk", "walk"]

    // MARK: - Reading

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        var modbus = Draft()
        for (index, entry) in reader.entries("units", limit: unitLimit) {
            modbus.units.append(readUnit(entry, index: index))
        }
        for (index, entry) in reader.entries("detectors", limit: ConfigSection.detectors.entryLimit) {
            modbus.detectors.append(readDetector(entry, index: index))
        }
        for (index, entry) in reader.entries("lamps", limit: ConfigSection.groups.entryLimit) {
            modbus.lamps.append(readLamp(entry, index: index))
        }
        if let table = reader.table("watchdog") {
            let watchdog = TableReader(table: table, path: reader.path + [.key("watchdog")], log: reader.log)
            modbus.watchdog = (watchdog.string("unit", required: true) ?? "", address(watchdog, "coil", required: true))
            watchdog.rejectUnknownKeys()
        }
        if let seconds = reader.integer("statistics_log_seconds", in: statisticsLogRange) {
            modbus.statisticsLogSeconds = seconds
        }
        if !reader.has("units") {
            reader.report(.missingKey, "units", "[modbus] needs at least one [[modbus.units]] entry")
        }
        reader.rejectUnknownKeys()
        draft.modbus = modbus
    }

    private static func readUnit(_ reader: TableReader, index: Int) -> UnitEntry {
        let name = reader.readName()
        let kinds: KeyValuePairs<String, String> = ["tcp": "tcp", "rtu": "rtu"]
        let kind = reader.choice("transport", kinds)
        if !reader.has("transport") {
            reader.report(.missingKey, "transport", "missing required key \"transport\" (tcp or rtu)")
        }
        var transport: ModbusSettings.Transport?
        let unitID = reader.integer("unit_id", required: true)
        switch kind {
        case "tcp":
            transport = readTCP(reader)
            if let unitID, !((0...247).contains(unitID) || unitID == 255) {
                reader.report(.outOfRange, "unit_id", "unit_id \(unitID) is outside 0–247 (or 255) for Modbus TCP")
            }
        case "rtu":
            transport = readRTU(reader)
            if let unitID, !(1...247).contains(unitID) {
                reader.report(.outOfRange, "unit_id", "unit_id \(unitID) is outside 1–247 for Modbus RTU")
            }
        default:
            break
        }
        let (poll, timeout, stale) = readTimings(reader)
        reader.rejectUnknownKeys(context: kind.map { "a \($0) unit" })
        return UnitEntry(
            index: index, name: name, transport: transport, unitID: unitID, pollIntervalMilliseconds: poll,
            timeoutMilliseconds: timeout, staleAfterMilliseconds: stale)
    }

    private static func readTCP(_ reader: TableReader) -> ModbusSettings.Transport? {
        let host = reader.string("host", required: true)
        let port = reader.integer("port") ?? 502
        var valid = host != nil
        if let host, !isIPv4Address(host) {
            valid = false
            reader.report(
                .invalidValue, "host",
                "\"\(host)\" is not an IPv4 address such as 192.168.1.20 (libmodbus connects to addresses, not names; "
                    + "no leading zeros, which libmodbus would read as octal)")
        }
        if !(1...65535).contains(port) {
            valid = false
            reader.report(.outOfRange, "port", "port \(port) is outside 1–65535")
        }
        guard valid, let host else { return nil }
        return .tcp(host: host, port: port)
    }

    private static func readRTU(_ reader: TableReader) -> ModbusSettings.Transport? {
        let device = reader.string("device", required: true)
        let baud = reader.integer("baud", required: true)
        let parityWord = reader.string("parity") ?? "E"
        let dataBits = reader.integer("data_bits") ?? 8
        let stopBits = reader.integer("stop_bits") ?? 1
        var valid = device != nil && baud != nil
        if let device, !device.hasPrefix("/") {
            valid = false
            reader.report(.invalidValue, "device", "device \"\(device)\" is not an absolute path such as /dev/ttyUSB0")
        }
        if let baud, !standardBauds.contains(baud) {
            valid = false
            let rates = standardBauds.map(String.init).joined(separator: ", ")
            reader.report(.invalidValue, "baud", "baud \(baud) is not a standard rate (\(rates))")
        }
        let parity = ModbusSettings.Parity(rawValue: parityWord)
        if parity == nil {
            valid = false
            reader.report(.invalidValue, "parity", "parity \"\(parityWord)\" is not N, E or O")
        }
        if ![7, 8].contains(dataBits) {
            valid = false
            reader.report(.invalidValue, "data_bits", "data_bits \(dataBits) is not 7 or 8")
        }
        if ![1, 2].contains(stopBits) {
            valid = false
            reader.report(.invalidValue, "stop_bits", "stop_bits \(stopBits) is not 1 or 2")
        }
        guard valid, let device, let baud, let parity else { return nil }
        return .rtu(device: device, baud: baud, parity: parity, dataBits: dataBits, stopBits: stopBits)
    }

    /// Poll interval, timeout and staleness limit in milliseconds, with their defaults (100, half
    /// the poll interval, three poll intervals) and the relations between them.
    private static func readTimings(_ reader: TableReader) -> (Int, Int, Int) {
        let poll = reader.integer("poll_interval_ms", in: pollIntervalRange) ?? 100
        let timeout = reader.integer("timeout_ms") ?? poll / 2
        if timeout < 1 || timeout >= poll {
            reader.report(
                .outOfRange, reader.has("timeout_ms") ? "timeout_ms" : "poll_interval_ms",
                "timeout_ms \(timeout) must be at least 1 and shorter than poll_interval_ms \(poll)")
        }
        let stale = reader.integer("stale_after_ms") ?? 3 * poll
        if stale < poll + timeout || stale > largestStaleAfter {
            reader.report(
                .outOfRange, reader.has("stale_after_ms") ? "stale_after_ms" : "poll_interval_ms",
                "stale_after_ms \(stale) must be at least poll_interval_ms + timeout_ms (\(poll + timeout)), "
                    + "or a healthy unit would be reported stale, and at most \(largestStaleAfter)")
        }
        return (poll, timeout, stale)
    }

    private static func readDetector(_ reader: TableReader, index: Int) -> DetectorEntry {
        let detector = reader.string("detector", required: true) ?? ""
        reader.rename(.entry(name: detector, index: index))
        let entry = DetectorEntry(
            index: index, detector: detector, unit: reader.string("unit", required: true) ?? "",
            presenceInput: address(reader, "presence_input"), countRegister: address(reader, "count_register"))
        if !reader.has("presence_input") && !reader.has("count_register") {
            reader.report(
                .missingKey, nil, "give presence_input (a discrete input), count_register (an input register) or both")
        }
        reader.rejectUnknownKeys()
        return entry
    }

    private static func readLamp(_ reader: TableReader, index: Int) -> LampEntry {
        let group = reader.string("group", required: true) ?? ""
        reader.rename(.entry(name: group, index: index))
        var coils: [(key: String, address: Int)] = []
        for key in vehicleCoilKeys + pedestrianCoilKeys {
            if let coil = address(reader, key) {
                coils.append((key, coil))
            }
        }
        let entry = LampEntry(
            index: index, group: group, unit: reader.string("unit", required: true) ?? "", coils: coils)
        reader.rejectUnknownKeys()
        return entry
    }

    /// A protocol address (0–65535).
    private static func address(_ reader: TableReader, _ key: String, required: Bool = false) -> Int? {
        guard let value = reader.integer(key, required: required) else { return nil }
        guard addressRange.contains(value) else {
            reader.report(.outOfRange, key, "\(key) \(value) is outside 0–65535 (0-based protocol addresses)")
            return nil
        }
        return value
    }

    /// An IPv4 address as `inet_pton` reads it: four decimal numbers 0–255 without leading zeros.
    /// libmodbus hands the host to `inet_addr`, which reads `010` as octal 8 and `08` as no address:
    /// `192.168.001.010` would connect to another device, `192.168.1.08` to none, so neither is taken.
    /// One form per address also lets the duplicate-unit check compare hosts as text.
    static func isIPv4Address(_ text: String) -> Bool {
        Syscall.ipv4Address(text) != nil
    }
}
