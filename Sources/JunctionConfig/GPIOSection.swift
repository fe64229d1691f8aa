import SignalCore
import TOML

/// `[gpio]`: detector input lines (`[[gpio.detectors]]`), lamp output lines (`[[gpio.lamps]]`)
/// and the watchdog line, with the defaults they share.
///
/// A line is written as a whole number (an offset on the entry's `chip`, else on `[gpio] chip`),
/// a string (a line name, searched on the entry's `chip` when it has one, else on every chip:
/// `[gpio] chip` applies to offsets only), or an inline table `{ chip = "…", line = 17 }` /
/// `{ chip = "…", line = "NAME" }`.
///
/// `read` checks each entry on its own (types, ranges, a chip for every offset); `GPIOResolver`,
/// once the junction exists, checks names, completeness against `[field]` and lines written twice.
enum GPIOSection {
    static let offsetRange = 0...1023
    static let debounceRange = 0...1000
    static let staleAfterRange = 100...60_000
    static let reportIntervalRange = 0...86_400
    /// The kernel keeps line and chip names in 32-byte fields, terminator included.
    static let nameLimit = 31

    static let biases: KeyValuePairs<String, GPIOSettings.Bias> = [
        "as_is": .asIs, "disabled": .disabled, "pull_up": .pullUp, "pull_down": .pullDown,
    ]
    static let drives: KeyValuePairs<String, GPIOSettings.Drive> = [
        "push_pull": .pushPull, "open_drain": .openDrain, "open_source": .openSource,
    ]

    /// A line as read, with the path of the key that named it.
    struct LineEntry {
        var line: GPIOSettings.Line
        var path: [JunctionProblem.PathComponent]
    }

    /// A `[[gpio.detectors]]` entry as read; `line` is nil when it was invalid.
    struct DetectorEntry {
        var index: Int
        var detector: String
        var line: LineEntry?
        var activeLow: Bool
        var debounceMilliseconds: Int
        var bias: GPIOSettings.Bias
    }

    /// A `[[gpio.lamps]]` entry as read: the lamp keys present, each with its line.
    struct LampEntry {
        var index: Int
        var group: String
        var lines: [(lamp: GPIOSettings.Lamp, entry: LineEntry)]
    }

    /// What the section said, by name, before the junction exists.
    struct Draft {
        var detectors: [DetectorEntry] = []
        var lamps: [LampEntry] = []
        var watchdog: LineEntry?
        var lampDrive = GPIOSettings.Drive.pushPull
        var lampActiveLow = false
        var lampBias = GPIOSettings.Bias.asIs
        var staleAfterMilliseconds = 1000
        var reportIntervalSeconds = 60
    }

    // MARK: - Reading

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        var gpio = Draft()
        let chip = chipName(reader, "chip")
        let debounce = reader.integer("debounce_ms", in: debounceRange) ?? 0
        gpio.staleAfterMilliseconds = reader.integer("stale_after_ms", in: staleAfterRange) ?? 1000
        gpio.reportIntervalSeconds = reader.integer("report_interval_s", in: reportIntervalRange) ?? 60
        gpio.lampDrive = reader.choice("lamp_drive", drives, default: .pushPull)
        gpio.lampActiveLow = reader.bool("lamp_active_low") ?? false
        gpio.lampBias = reader.choice("lamp_bias", biases, default: .asIs)
        gpio.watchdog = line(reader, "watchdog", chip: nil, defaultChip: chip)
        for (index, entry) in reader.entries("detectors", limit: ConfigSection.detectors.entryLimit) {
            gpio.detectors.append(readDetector(entry, index: index, defaultChip: chip, defaultDebounce: debounce))
        }
        for (index, entry) in reader.entries("lamps", limit: ConfigSection.groups.entryLimit) {
            gpio.lamps.append(readLamp(entry, index: index, defaultChip: chip))
        }
        reader.rejectUnknownKeys()
        draft.gpio = gpio
    }

    private static func readDetector(
        _ reader: TableReader, index: Int, defaultChip: String?, defaultDebounce: Int
    ) -> DetectorEntry {
        let name = reader.string("detector", required: true) ?? ""
        reader.rename(.entry(name: name, index: index))
        let chip = chipName(reader, "chip")
        let entry = DetectorEntry(
            index: index, detector: name,
            line: line(reader, "line", chip: chip, defaultChip: chip ?? defaultChip, required: true),
            activeLow: reader.bool("active_low") ?? false,
            debounceMilliseconds: reader.integer("debounce_ms", in: debounceRange) ?? defaultDebounce,
            bias: reader.choice("bias", biases, default: .asIs))
        reader.rejectUnknownKeys(context: "a GPIO detector input")
        return entry
    }

    private static func readLamp(_ reader: TableReader, index: Int, defaultChip: String?) -> LampEntry {
        let name = reader.string("group", required: true) ?? ""
        reader.rename(.entry(name: name, index: index))
        let chip = chipName(reader, "chip")
        var lines: [(GPIOSettings.Lamp, LineEntry)] = []
        for lamp in GPIOSettings.Lamp.allCases {
            if let entry = line(reader, lamp.rawValue, chip: chip, defaultChip: chip ?? defaultChip) {
                lines.append((lamp, entry))
            }
        }
        reader.rejectUnknownKeys(context: "GPIO lamp lines")
        return LampEntry(index: index, group: name, lines: lines)
    }

    /// The line at `key`: an offset on `defaultChip`, a name (on `chip` when the entry gave one),
    /// or an inline table with its own `chip` and `line`.
    private static func line(
        _ reader: TableReader, _ key: String, chip: String?, defaultChip: String?, required: Bool = false
    ) -> LineEntry? {
        guard let value = reader.value(key) else {
            if required { reader.report(.missingKey, key, "missing required key \"\(key)\" (an offset or a line name)") }
            return nil
        }
        let path = reader.path + [.key(key)]
        if let table = value.table {
            let inner = TableReader(table: table, path: path, log: reader.log)
            let innerChip = chipName(inner, "chip")
            let found = line(inner, "line", chip: innerChip, defaultChip: innerChip ?? defaultChip, required: true)
            inner.rejectUnknownKeys(context: "a GPIO line")
            return found.map { LineEntry(line: $0.line, path: path) }
        }
        if let offset = value.int {
            guard offsetRange.contains(offset) else {
                reader.report(.outOfRange, key, "line offset \(offset) is outside \(offsetRange.lowerBound)–\(offsetRange.upperBound)")
                return nil
            }
            guard let defaultChip else {
                reader.report(
                    .missingKey, key, "offset \(offset) needs a chip: set chip on this entry or in [gpio] (or name the line)")
                return nil
            }
            return LineEntry(line: .offset(offset, chip: defaultChip), path: path)
        }
        if let name = value.string {
            guard !name.isEmpty, name.utf8.count <= nameLimit else {
                reader.report(.invalidValue, key, "a line name has 1–\(nameLimit) bytes, \"\(name)\" has \(name.utf8.count)")
                return nil
            }
            return LineEntry(line: .named(name, chip: chip), path: path)
        }
        reader.report(.wrongType, key, "expected a line offset (whole number), a line name (string) or { chip, line }, found \(value.type)")
        return nil
    }

    /// A chip label, name, number or path at `key`, or nil when absent or invalid (reported).
    private static func chipName(_ reader: TableReader, _ key: String) -> String? {
        guard let chip = reader.string(key) else { return nil }
        guard !chip.isEmpty, chip.utf8.count <= 255 else {
            reader.report(.invalidValue, key, "a chip is named by its label, name (gpiochip0), number or /dev path")
            return nil
        }
        return chip
    }
}
