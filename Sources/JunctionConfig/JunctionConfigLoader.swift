import SignalCore
import SystemPackage
import TOML

/// Reads a TOML junction file into a validated `Junction`.
///
/// The loader is the one decoder for junction files: it rejects unknown sections and keys, checks
/// types, units (seconds with at most one decimal) and ranges, resolves names, and runs
/// `JunctionValidator`. It either returns a junction the controller may run or throws a
/// `ConfigError` with every problem it found, each naming its field and, where it can be found,
/// its line. It never traps on any input, and its work grows in proportion to the file's size:
/// the parser refuses control characters and nesting deeper than `limits`.
public struct JunctionConfigLoader: Sendable {
    /// Files larger than this are refused before parsing: a junction file is a few kilobytes.
    public static let largestFileBytes = 1 << 20

    /// A junction file nests three levels at most (`[modbus.watchdog]` plus `key = { a = … }` is
    /// four keys; `barriers = [[2, 6]]` is two arrays); eight leaves room and refuses at once the
    /// 100 KB of `[a.a.a…]` that once took the loader 51 s.
    package static let limits = TOMLLimits(deepestKeyPath: 8, deepestNesting: 8)

    /// A loader; it keeps no state between loads.
    public init() {}

    /// Loads the file at `path`, which must be a regular file (not a FIFO, device or directory:
    /// those are refused without blocking), at most `largestFileBytes` long and UTF-8.
    public func load(path: String) throws(ConfigError) -> JunctionConfiguration {
        try load(path: FilePath(path))
    }

    /// Loads the file at `path` opened by its bytes, which need not be UTF-8 (a name given on the
    /// command line); problems name it with those bytes escaped (`JunctionFile.displayName`).
    public func load(path filePath: FilePath) throws(ConfigError) -> JunctionConfiguration {
        let path = JunctionFile.displayName(filePath)
        let fail = { (message: String, kind: ConfigProblem.Kind) in
            ConfigError(source: path, problems: [ConfigProblem(kind: kind, field: "", line: nil, message: message)])
        }
        let bytes: [UInt8]
        do {
            bytes = try JunctionFile.contents(of: filePath, limit: Self.largestFileBytes)
        } catch {
            throw fail(error.message, error.kind)
        }
        guard let source = String(validating: bytes, as: UTF8.self) else {
            throw fail("the file is not UTF-8", .unreadable)
        }
        // Includes are looked up by name as shown, which is the path itself whenever it is UTF-8.
        let directory = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[..<$0]) } ?? "."
        return try load(source: source, name: path, directory: directory.isEmpty ? "/" : directory)
    }

    /// Loads a junction from TOML text; `name` labels the problems (a file name, or "built-in").
    /// `directory` is where the files it includes (a `[schedule]` calendar) are found; without
    /// one, an include is refused.
    public func load(
        source: String, name: String = "junction.toml", directory: String? = nil
    ) throws(ConfigError) -> JunctionConfiguration {
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
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(source, limits: Self.limits)
        } catch {
            throw ConfigError(source: name, problems: [Self.problem(error)])
        }
        if let position = Self.firstEscapedNul(in: root) {
            throw ConfigError(
                source: name,
                problems: [
                    ConfigProblem(
                        kind: .forbiddenCharacter, field: "", line: position.line, column: position.column,
                        message: "an escaped NUL (\\u0000) is not allowed: a C library given the string would end it there")
                ])
        }
        let log = ProblemLog(document: root)
        var draft = ConfigDraft()
        draft.directory = directory
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
        let neighbours = junction.flatMap { built in
            draft.neighbours.flatMap { NeighboursSection.resolve($0, junction: built, upstream: draft.upstream, log: log) }
        }
        let schedule = junction.flatMap { built in
            draft.schedule.flatMap { ScheduleSection.resolve($0, junction: built, adaptive: draft.adaptive, log: log) }
        }
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
        configuration.neighbours = neighbours
        configuration.schedule = schedule
        configuration.source = source
        return configuration
    }

    /// The parser's error as a problem, with what a junction file needs at most when it nests too deep.
    private static func problem(_ error: TOMLSyntaxError) -> ConfigProblem {
        let kind: ConfigProblem.Kind
        var message = error.message
        switch error.kind {
        case .syntax, .redefinition: kind = .syntax
        case .forbiddenCharacter: kind = .forbiddenCharacter
        case .tooDeep:
            kind = .tooDeep
            message += "; a junction file nests three levels at most"
        }
        return ConfigProblem(
            kind: kind, field: "", line: error.position.line, column: error.position.column, message: message)
    }

    /// Where the first string or key holding U+0000 is (at its key), or nil. The walk follows the
    /// document, whose depth `limits` bounds.
    private static func firstEscapedNul(in table: TOMLTable) -> TOMLPosition? {
        for (key, value) in table {
            if key.unicodeScalars.contains("\0") { return value.position }
            if let position = firstEscapedNul(in: value) { return position }
        }
        return nil
    }

    private static func firstEscapedNul(in value: TOMLValue) -> TOMLPosition? {
        switch value.content {
        case .string(let text): return text.unicodeScalars.contains("\0") ? value.position : nil
        case .table(let table): return firstEscapedNul(in: table)
        case .array(let elements): return elements.lazy.compactMap(firstEscapedNul(in:)).first
        case .integer, .float, .boolean, .dateTime: return nil
        }
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
