import Foundation
import SignalCore

/// Keeps a latched safety fault on disk so that it survives a restart or power cycle, as a
/// cabinet's conflict monitor does, until a technician resets it.
///
/// The record is a few `key=value` lines written atomically (temporary file, then rename).
/// A record that exists but cannot be read still counts as a latched fault: doubt means flash.
public struct FaultStore: Sendable {
    public let path: String

    public init(directory: String) {
        path = directory.hasSuffix("/") ? directory + "latched-fault" : directory + "/latched-fault"
    }

    /// The persisted fault, or nil when none is latched.
    public func load() -> SafetyViolation? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096,
            let text = String(data: data, encoding: .utf8)
        else {
            return Self.unreadable
        }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { return Self.unreadable }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let kindValue = fields["kind"].flatMap(UInt8.init), let kind = SafetyViolation.Kind(rawValue: kindValue),
            let tick = fields["tick"].flatMap(Int.init), let description = fields["description"]
        else {
            return Self.unreadable
        }
        let groups = (fields["groups"] ?? "").split(separator: ",").compactMap { Int($0) }
        return SafetyViolation(tick: tick, kind: kind, groups: groups, description: description)
    }

    /// Writes the fault; throws when the disk refuses (full, read-only), which the caller reports.
    public func save(_ violation: SafetyViolation) throws {
        let oneLine = violation.description.replacingOccurrences(of: "\n", with: " ")
        let text = "kind=\(violation.kind.rawValue)\ntick=\(violation.tick)\n"
            + "groups=\(violation.groups.map(String.init).joined(separator: ","))\ndescription=\(oneLine)\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Forgets the fault after a reset.
    public func clear() throws {
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }

    private static let unreadable = SafetyViolation(
        tick: 0, kind: .illegalTransition, groups: [],
        description: "a latched-fault record exists but cannot be read; treated as latched")
}
