import SignalCore
import TOMLKit

/// Reads a TOML junction file into a validated `Junction`.
///
/// The loader is the one decoder for junction files: it rejects unknown sections and keys, checks
/// types, units (seconds with at most one decimal) and ranges, resolves names, and runs
/// `JunctionValidator`. It either returns a junction the controller may run or throws a
/// `ConfigError` with every problem it found, each naming its field and, where it can be found,
/// its line. It never traps on any input, and its work grows in proportion to the file's size:
/// what the parser must not see (control characters, deep nesting) is refused before parsing.
public struct JunctionConfigLoader: Sendable {
    /// Files larger than this are refused before parsing: a junction file is a few kilobytes.
    public static let largestFileBytes = 1 << 20

    /// A loader; it keeps no state between loads.
    public init() {}

    /// Loads the file at `path`, which must be a regular file (not a FIFO, device or directory:
    /// those are refused without blocking), at most `largestFileBytes` long and UTF-8.
    public func load(path: String) throws(ConfigError) -> JunctionConfiguration {
        let fail = { (message: String, kind: ConfigProblem.Kind) in
            ConfigError(source: path, problems: [ConfigProblem(kind: kind, field: "", line: nil, message: message)])
        }
        let bytes: [UInt8]
        do {
            bytes = try JunctionFile.contents(of: path, limit: Self.largestFileBytes)
        } catch {
            throw fail(error.message, error.kind)
        }
        guard let source = String(validating: bytes, as: UTF8.self) else {
            throw fail("the file is not UTF-8", .unreadable)
        }
        return try load(source: source, name: path)
    }

    /// Loads a junction from TOML text; `name` labels the problems (a file name, or "built-in").
    public func load(source: String, name: String = "junction.toml") throws(ConfigError) -> JunctionConfiguration {
        guard source.utf8.count <= Self.largestFileBytes else {
            throw ConfigError(
                source: name,
                problems: [
                    ConfigProblem(
                        kind: .tooLarge, field: "", line: nil,
                        message:
                            "the source has \(source.utf8.count) bytes; at most \(Self.largestFileBytes) are allowed")
                ])
        }
        if let problem = SourceScreen.problem(in: source) {
            throw ConfigError(source: name, problems: [problem])
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: source)
        } catch let error as TOMLParseError {
            throw ConfigError(
                source: name,
                problems: [
                    ConfigProblem(
                        kind: .syntax, field: "", line: error.source.begin.line, column: error.source.begin.column,
                        message: error.description)
                ])
        } catch {
            throw ConfigError(
                source: name,
                problems: [
                    ConfigProblem(
                        kind: .syntax, field: "", line: nil, message: "\(error)")
                ])
        }
        let log = ProblemLog(source: source)
        var draft = ConfigDraft()
        for (key, value) in root {
            guard let section = ConfigSection(rawValue: key) else {
                let known = ConfigSection.allCases.map(\.rawValue).joined(separator: ", ")
                log.report(.unknownKey, [.key(key)], "unknown section \"\(key)\"; known sections: \(known)")
                continue
            }
            draft.sections.insert(section)
            section.read(value, into: &draft, log: log)
        }
        for section in ConfigSection.required where !draft.sections.contains(section) {
            log.report(.missingKey, [.key(section.rawValue)], "missing section [\(section.rawValue)]")
        }
        let assembler = JunctionAssembler(draft: draft, log: log)
        let junction = assembler.assemble()
        if let junction, log.isEmpty {
            for problem in JunctionValidator(amberFloor: draft.amberFloor).problems(in: junction) {
                log.report(.junction(problem.kind), assembler.filePath(of: problem.path), problem.message)
            }
        }
        let sumo = junction.flatMap { built in draft.sumo.map { SumoSection.resolve($0, junction: built, log: log) } }
        let modbus = junction.flatMap { ModbusResolver.resolve(draft.modbus, field: draft.field, junction: $0, log: log) }
        let gpio = junction.flatMap { GPIOResolver.resolve(draft.gpio, field: draft.field, junction: $0, log: log) }
        guard let junction, log.isEmpty else {
            throw ConfigError(source: name, problems: Self.inFileOrder(log.problems))
        }
        var configuration = JunctionConfiguration(
            junction: junction, amberFloor: draft.amberFloor, ringBarrier: draft.nema?.description,
            field: draft.field, daemon: draft.daemon, diagnostics: draft.diagnostics)
        configuration.sumo = sumo
        configuration.modbus = modbus
        configuration.gpio = gpio
        configuration.adaptive = draft.adaptive
        configuration.upstream = draft.upstream
        configuration.snmp = draft.snmp
        return configuration
    }

    /// Problems sorted by line, those without a line last, otherwise in the order found.
    private static func inFileOrder(_ problems: [ConfigProblem]) -> [ConfigProblem] {
        problems.enumerated().sorted { left, right in
            let leftLine = left.element.line ?? Int.max
            let rightLine = right.element.line ?? Int.max
            return leftLine != rightLine ? leftLine < rightLine : left.offset < right.offset
        }.map(\.element)
    }
}
