import Foundation
import JunctionConfig
import TOML
import Wire

/// Reads the city TOML file (`central/examples/city.toml`) into a `CityConfig`.
///
/// Unknown sections and keys are errors, like in junction files, so a misspelt key never leaves a default in place.
/// Keys are hex (16 to 64 bytes, as docs/protocol.md allows), inline or in a file of their own (`key_file`, one line
/// of hex, relative to the config file).
public struct CityConfigLoader: Sendable {
    /// A city file is a few kilobytes even for thousands of junctions' worth of lines; more is refused unread.
    public static let largestFileBytes = 4 << 20
    /// The most junctions one central accepts from its config.
    public static let largestJunctionCount = 20_000

    public init() {}

    /// Loads and checks the file at `path`; relative paths inside it resolve against its folder.
    public func load(path: String) throws(CityConfigError) -> CityConfig {
        let folder = (path as NSString).deletingLastPathComponent
        let bytes: [UInt8]
        do {
            bytes = try JunctionFile.contents(of: path, limit: Self.largestFileBytes)
        } catch {
            throw CityConfigError(source: path, problems: [error.message])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CityConfigError(source: path, problems: ["the file is not UTF-8 text"])
        }
        return try load(source: text, name: path, folder: folder.isEmpty ? "." : folder)
    }

    /// Loads city TOML from text; `folder` anchors relative paths (database, key files, layouts).
    public func load(source: String, name: String, folder: String) throws(CityConfigError) -> CityConfig {
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(source)
        } catch {
            throw CityConfigError(source: name, problems: [error.description])
        }
        var problems: [String] = []
        var config = CityConfig()
        for key in root.keys where !["central", "junctions", "roads"].contains(key) {
            problems.append("\(key): unknown section; expected [central], [[junctions]] or [[roads]]")
        }
        if let central = root["central"] {
            if let table = central.table {
                readCentral(table, into: &config, folder: folder, problems: &problems)
            } else {
                problems.append("central: expected a table [central]")
            }
        }
        if let list = root["junctions"] {
            if let array = list.array, array.count <= Self.largestJunctionCount {
                config.junctions = readJunctions(array, folder: folder, problems: &problems)
            } else {
                problems.append("junctions: expected at most \(Self.largestJunctionCount) [[junctions]] tables")
            }
        }
        if let list = root["roads"] {
            if let array = list.array, array.count <= Self.largestJunctionCount {
                config.roads = readRoads(array, junctions: config.junctions, problems: &problems)
            } else {
                problems.append("roads: expected at most \(Self.largestJunctionCount) [[roads]] tables")
            }
        }
        if config.junctions.isEmpty && problems.isEmpty {
            problems.append("junctions: no [[junctions]] configured; central would accept nothing")
        }
        guard problems.isEmpty else { throw CityConfigError(source: name, problems: problems) }
        return config
    }

    private func readCentral(_ table: TOMLTable, into config: inout CityConfig, folder: String, problems: inout [String]) {
        var fields = TOMLReader(table)
        if let id = fields.integer("id", in: 1...Int(UInt32.max)) { config.centralID = UInt32(id) }
        if let text = fields.string("udp") {
            if let address = SocketAddress(text) { config.udpAddress = address } else {
                fields.report(.invalidValue, "udp", "expected an IPv4 address and port such as 127.0.0.1:47800")
            }
        }
        if let text = fields.string("http") {
            let parts = text.split(separator: ":")
            // A host is an address or a name: a space or other stray character is no host `serve` could bind.
            let host = parts.first.map { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") } }
            if parts.count == 2, host == true, let port = Int(parts[1]), (1...65_535).contains(port) {
                config.httpHost = String(parts[0])
                config.httpPort = port
            } else {
                fields.report(.invalidValue, "http", "expected a host and port such as 127.0.0.1:8080")
            }
        }
        if let path = fields.string("database") {
            config.databasePath = Self.resolve(path, in: folder)
            // SQLite makes a missing file; an existing path must be one (a device or a directory is no store).
            var info = stat()
            if stat(config.databasePath, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
                fields.report(.invalidValue, "database", "\(config.databasePath) is not a regular file; the store is one SQLite file")
            }
        }
        if let value = Self.milliseconds(&fields, "commit_interval", range: 10...60_000) {
            config.commitIntervalMilliseconds = value
        }
        if let value = Self.milliseconds(&fields, "poll_interval", range: 100...3_600_000) {
            config.pollIntervalMilliseconds = value
        }
        if let value = Self.milliseconds(&fields, "stale_after", range: 500...3_600_000) {
            config.staleAfterMilliseconds = value
        }
        if let value = fields.integer("report_retention_hours", in: 1...24 * 366) {
            config.reportRetentionHours = value
        }
        if let value = fields.integer("record_retention_days", in: 1...3_660) {
            config.recordRetentionDays = value
        }
        if let percent = fields.number("congestion_busy_percent") {
            config.congestion.busyPermille = Self.permille(percent, "congestion_busy_percent", &fields)
        }
        if let percent = fields.number("congestion_congested_percent") {
            config.congestion.congestedPermille = Self.permille(percent, "congestion_congested_percent", &fields)
        }
        if config.congestion.busyPermille >= config.congestion.congestedPermille {
            fields.report(
                .invalidValue, "congestion_congested_percent", "must be above congestion_busy_percent "
                    + "(\(Double(config.congestion.busyPermille) / 10) %)")
        }
        if let value = Self.milliseconds(&fields, "congestion_window", range: 60_000...3_600_000) {
            config.congestion.windowMilliseconds = value
        }
        problems += Self.finish(&fields, path: "central")
    }

    private func readJunctions(_ array: [TOMLValue], folder: String, problems: inout [String]) -> [JunctionEntry] {
        var entries: [JunctionEntry] = []
        var seen: Set<UInt32> = []
        for index in 0..<array.count {
            let path = "junctions[\(index)]"
            guard let table = array[index].table else {
                problems.append("\(path): expected a table")
                continue
            }
            var fields = TOMLReader(table)
            let id = fields.integer("id", in: 1...Int(UInt32.max), required: true)
            let name = fields.string("name", required: true)
            var key: WireKey?
            // The hex the key was read from, and the field that gave it.
            var keyText: (hex: String, field: String)?
            if let hex = fields.string("key") {
                do {
                    key = try WireKey(hex: hex)
                    keyText = (hex, "key")
                } catch { fields.report(.invalidValue, "key", error.description) }
            }
            if let file = fields.string("key_file") {
                let resolved = Self.resolve(file, in: folder)
                if fields.has("key") {
                    fields.report(.invalidValue, "key_file", "give key or key_file, not both")
                } else {
                    // The daemon's own key-file reader: it refuses a FIFO or device without blocking and says why.
                    do {
                        let text = try KeyFile.text(at: resolved)
                        do {
                            key = try WireKey(hex: text)
                            keyText = (text, "key_file")
                        } catch {
                            fields.report(.invalidValue, "key_file", "\(resolved): \(error.description)")
                        }
                    } catch {
                        fields.report(.invalidValue, "key_file", error.description)
                    }
                }
            }
            if let keyText, let problem = KeyFile.placeholderProblem(hex: keyText.hex) {
                fields.report(.invalidValue, keyText.field, "the \(problem)")
                key = nil
            }
            if key == nil && !fields.hasProblems { fields.report(.missingKey, "key", "a key or key_file is required") }
            var pollAddress: SocketAddress?
            if let text = fields.string("poll") {
                pollAddress = SocketAddress(text)
                if pollAddress == nil { fields.report(.invalidValue, "poll", "expected an IPv4 address and port such as 127.0.0.1:47901") }
            }
            var layout: JunctionLayout?
            if let file = fields.string("layout") {
                do {
                    layout = try JunctionLayout.load(path: Self.resolve(file, in: folder))
                } catch {
                    fields.report(.invalidValue, "layout", "junction file refused: \(error)")
                }
            }
            let position = Self.position(&fields)
            if let id, !seen.insert(UInt32(id)).inserted { fields.report(.invalidValue, "id", "id \(id) is used twice") }
            let found = Self.finish(&fields, path: path)
            problems += found
            if found.isEmpty, let id, let name, let key {
                entries.append(
                    JunctionEntry(
                        id: UInt32(id), name: name, key: key, pollAddress: pollAddress, layout: layout, position: position))
            }
        }
        return entries
    }

    /// The junction's `latitude` and `longitude` (both or neither), in degrees.
    private static func position(_ fields: inout TOMLReader) -> MapPosition? {
        let latitude = fields.number("latitude")
        let longitude = fields.number("longitude")
        switch (latitude, longitude) {
        case (nil, nil):
            return nil
        case (let latitude?, let longitude?):
            guard (-90...90).contains(latitude) else {
                fields.report(.outOfRange, "latitude", "expected degrees in -90...90")
                return nil
            }
            guard (-180...180).contains(longitude) else {
                fields.report(.outOfRange, "longitude", "expected degrees in -180...180")
                return nil
            }
            return MapPosition(latitude: latitude, longitude: longitude)
        default:
            fields.report(.invalidValue, latitude == nil ? "latitude" : "longitude", "give latitude and longitude together")
            return nil
        }
    }

    /// The `[[roads]]` tables: a name and at least two junction ids, each configured and placed on the map.
    private func readRoads(_ array: [TOMLValue], junctions: [JunctionEntry], problems: inout [String]) -> [MapRoad] {
        // Whether each configured junction has a position; ids are unique once the junctions loaded.
        let placed = Dictionary(junctions.map { ($0.id, $0.position != nil) }, uniquingKeysWith: { first, _ in first })
        var roads: [MapRoad] = []
        for index in 0..<array.count {
            let path = "roads[\(index)]"
            guard let table = array[index].table else {
                problems.append("\(path): expected a table")
                continue
            }
            var fields = TOMLReader(table)
            let name = fields.string("name", required: true)
            let list = fields.array("junctions", required: true, limit: Self.largestJunctionCount)
            var ids: [UInt32] = []
            for value in list ?? [] {
                switch Self.roadJunction(value, placed: placed) {
                case .success(let id): ids.append(id)
                case .failure(let problem): fields.report(.invalidValue, "junctions", problem.message)
                }
            }
            if let list, list.count < 2 { fields.report(.invalidValue, "junctions", "a road joins at least two junctions") }
            let found = Self.finish(&fields, path: path)
            problems += found
            if found.isEmpty, let name { roads.append(MapRoad(name: name, junctions: ids)) }
        }
        return roads
    }

    /// Why a road cannot pass through a value of its `junctions` list.
    private struct RoadProblem: Error {
        var message: String
    }

    /// The junction id a road's list names, if it is a configured junction with a position.
    private static func roadJunction(_ value: TOMLValue, placed: [UInt32: Bool]) -> Result<UInt32, RoadProblem> {
        guard let number = value.int else { return .failure(RoadProblem(message: "a value that is not an integer")) }
        guard let id = UInt32(exactly: number), let hasPosition = placed[id] else {
            return .failure(RoadProblem(message: "\(number) is not the id of a [[junctions]] entry"))
        }
        guard hasPosition else {
            return .failure(RoadProblem(message: "junction \(id) has no latitude and longitude to draw"))
        }
        return .success(id)
    }

    /// A percentage in 0...100 as permille; out of range is reported and gives 0.
    private static func permille(_ percent: Double, _ key: String, _ fields: inout TOMLReader) -> Int {
        guard percent.isFinite, (0...100).contains(percent) else {
            fields.report(.outOfRange, key, "expected a percentage in 0...100")
            return 0
        }
        return Int((percent * 10).rounded())
    }

    /// A duration written in seconds (whole or decimal) at `key_seconds`, as milliseconds within `range`.
    private static func milliseconds(_ fields: inout TOMLReader, _ key: String, range: ClosedRange<Int>) -> Int? {
        let seconds = key + "_seconds"
        guard let number = fields.number(seconds) else { return nil }
        guard number.isFinite, number * 1000 >= Double(range.lowerBound), number * 1000 <= Double(range.upperBound) else {
            fields.report(
                .outOfRange, seconds, "expected seconds in \(Double(range.lowerBound) / 1000)...\(range.upperBound / 1000)")
            return nil
        }
        return Int((number * 1000).rounded())
    }

    /// The table's problems, unknown keys included, each as `path.key: message`.
    private static func finish(_ fields: inout TOMLReader, path: String) -> [String] {
        fields.rejectUnknownKeys()
        return fields.takeProblems().map { "\(path).\($0.key): \($0.message)" }
    }

    private static func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
    }
}
