import Glibc
import SignalCore
import SystemInterface

/// Keeps a latched safety fault on disk so that it survives a restart or power cycle, as a
/// cabinet's conflict monitor does, until a technician resets it.
///
/// The record is a few `key=value` lines written atomically (temporary file, fsync, rename).
/// Doubt means flash: only a record that is absent from a directory this process can read and
/// search counts as "no fault". A record that cannot be opened (EACCES on the file or the
/// directory, EIO), that is not a regular file (a FIFO, a directory), or that is too large or
/// corrupt counts as a latched fault, with the reason. Loading never blocks: a FIFO at the
/// record's path is opened non-blocking and refused by its type, unread.
public struct FaultStore: Sendable {
    /// What `load` found at the record's path.
    public enum Record: Sendable, Equatable {
        /// No record: no fault is latched.
        case clear
        /// A fault latched before the restart.
        case latched(SafetyViolation)
        /// The record could not be read with certainty, for `reason`; it counts as latched.
        case doubtful(reason: String)
    }

    /// The largest record read; a real one is a few hundred bytes.
    public static let largestRecordBytes = 4096

    /// The state directory the record lives in.
    public let directory: String
    /// The record's path.
    public let path: String

    /// A store for the record `latched-fault` in `directory`.
    public init(directory: String) {
        self.directory = directory
        path = StateFile.path("latched-fault", in: directory)
    }

    /// The persisted record; never blocks, never throws: every doubt is a `.doubtful` record.
    public func load() -> Record {
        switch StateFile.read(path, limit: Self.largestRecordBytes) {
        case .contents(let bytes): return Self.parse(bytes)
        case .absent: return absentRecord()
        case .openFailed(let error): return .doubtful(reason: "cannot open it: \(error)")
        case .notRegular(let mode): return .doubtful(reason: "it is not a regular file (\(Self.typeName(mode)))")
        case .tooLarge(let bytes):
            return .doubtful(reason: "it has \(bytes) bytes, more than a record's \(Self.largestRecordBytes)")
        case .grew: return .doubtful(reason: "it grew past \(Self.largestRecordBytes) bytes while being read")
        case .readFailed(let error): return .doubtful(reason: "cannot read it: \(error)")
        }
    }

    /// Writes the fault atomically. When the state directory has vanished (deleted while the
    /// daemon runs) it is made again, mode 0750, and the write retried once.
    ///
    /// - Returns: whether the directory had to be made again, for the caller's log.
    /// - Throws: when the disk refuses (full, read-only, permissions), which the caller reports.
    @discardableResult
    public func save(_ violation: SafetyViolation) throws(SystemError) -> Bool {
        let oneLine = violation.description.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .joined(separator: " ")
        let text = "kind=\(violation.kind.rawValue)\ntick=\(violation.tick)\n"
            + "groups=\(violation.groups.map(String.init).joined(separator: ","))\ndescription=\(oneLine)\n"
        return try remakingDirectory { () throws(SystemError) in try write(Array(text.utf8)) }
    }

    /// Writes and removes a probe beside the record, the way a record is written (temporary file,
    /// fsync, rename), so a state directory that is read-only, full or not this process's to write
    /// shows at start rather than when a fault is latched and cannot be kept. A directory that has
    /// vanished is made again first, as `save` does.
    public func probeWrite() throws(SystemError) {
        let probe = StateFile.path("write-probe", in: directory)
        _ = try remakingDirectory { () throws(SystemError) in
            try StateFile.replace(probe, with: Array("junctiond write probe\n".utf8))
        }
        try Syscall.unlink(probe)
    }

    /// Runs `write`, and once more after making the state directory again (mode 0750) when it
    /// failed because the directory is gone (deleted while the daemon runs); returns whether it
    /// had to be made.
    private func remakingDirectory(_ write: () throws(SystemError) -> Void) throws(SystemError) -> Bool {
        do {
            try write()
            return false
        } catch {
            guard error.code == ENOENT else { throw error }
        }
        try Syscall.makeDirectory(directory, mode: 0o750)
        try write()
        return true
    }

    /// Forgets the fault after a reset; an absent record is already forgotten.
    public func clear() throws(SystemError) {
        try Syscall.unlink(path)
    }

    // MARK: - Reading

    /// ENOENT on the record means "no fault" only when the directory itself can be read; a
    /// directory that does not exist yet has never held a record (systemd makes it at start).
    private func absentRecord() -> Record {
        do {
            let descriptor = try Syscall.open(directory, flags: O_RDONLY | O_DIRECTORY)
            Syscall.close(descriptor)
            return .clear
        } catch {
            return error.code == ENOENT ? .clear : .doubtful(reason: "the state directory cannot be read: \(error)")
        }
    }

    private static func parse(_ bytes: [UInt8]) -> Record {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .doubtful(reason: "it is not UTF-8 text (corrupt)")
        }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else {
                return .doubtful(reason: "a line has no '=' (corrupt)")
            }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let kindValue = fields["kind"].flatMap(UInt8.init), let kind = SafetyViolation.Kind(rawValue: kindValue),
            let tick = fields["tick"].flatMap(Int.init), let description = fields["description"]
        else {
            return .doubtful(reason: "its kind, tick or description is missing or malformed (corrupt)")
        }
        let groups = (fields["groups"] ?? "").split(separator: ",").compactMap { Int($0) }
        return .latched(SafetyViolation(tick: tick, kind: kind, groups: groups, description: description))
    }

    private static func typeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "mode \(String(mode, radix: 8))"
        }
    }

    // MARK: - Writing

    /// `StateFile.replace`, then a sync of the directory, so that a power cut leaves either the old
    /// record or the new one, never a torn one.
    private func write(_ bytes: [UInt8]) throws(SystemError) {
        try StateFile.replace(path, with: bytes)
        // The record is in place; a directory that cannot be synced only weakens power-cut safety.
        try? StateFile.syncDirectory(directory)
    }
}

extension FaultStore.Record {
    /// The fault to restore: the latched one, or for a doubtful record a stand-in naming why.
    public func fault(path: String) -> SafetyViolation? {
        switch self {
        case .clear: return nil
        case .latched(let violation): return violation
        case .doubtful(let reason):
            return SafetyViolation(
                tick: 0, kind: .illegalTransition, groups: [],
                description: "the latched-fault record \(path) cannot be trusted (\(reason)); treated as latched")
        }
    }
}
