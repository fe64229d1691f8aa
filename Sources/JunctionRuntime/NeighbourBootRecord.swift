import SystemInterface
import Wire

/// The neighbour sender's boot id across runs, kept as `neighbour-boot` in the state directory.
///
/// Guarantees: `next` returns `max(previous + 1, now)`, with `previous` the id of the last run that
/// recorded one, so a board restarted with its clock behind (no real-time clock, or before NTP has
/// set it) still sends a larger boot id than any it sent before, and its neighbours do not refuse
/// it as a replay of an old run (docs/protocol.md, "boot id"). The new id is durable (written,
/// synced, renamed) before it is returned. A record that is missing counts as 0; one that cannot
/// be read or is damaged, or a disk that refuses the new record, is reported in `problem` and the
/// run goes on with `max(previous + 1, now)` from what could be read.
struct NeighbourBootRecord {
    /// The boot id this run sends, and what went wrong with the record, if anything.
    struct Next {
        var bootId: UInt64
        var problem: String?
    }

    /// A record holds one decimal number and a newline.
    static let maximumBytes = 32

    let path: String
    private let directory: String

    /// The record `neighbour-boot` in `directory`.
    init(directory: String) {
        self.directory = directory
        path = StateFile.path("neighbour-boot", in: directory)
    }

    /// Takes the next boot id at `nowMicroseconds` (Unix µs) and records it.
    func next(nowMicroseconds: UInt64) -> Next {
        var previous: UInt64 = 0
        var problem: String?
        switch StateFile.read(path, limit: Self.maximumBytes) {
        case .contents(let bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            let digits = text.hasSuffix("\n") ? String(text.dropLast()) : text
            if let value = UInt64(digits), value < UInt64.max {
                previous = value
            } else {
                problem = "\(path) holds no boot id"
            }
        case .absent: break
        case .openFailed(let error), .readFailed(let error): problem = "cannot read \(path): \(error)"
        case .notRegular: problem = "\(path) is not a regular file"
        case .tooLarge, .grew: problem = "\(path) is larger than \(Self.maximumBytes) bytes"
        }
        let bootId = ReplayWindow.nextBootId(after: previous, nowMicroseconds: nowMicroseconds)
        do {
            try StateFile.replace(path, with: Array("\(bootId)\n".utf8))
            try StateFile.syncDirectory(directory)
        } catch {
            problem = [problem, "cannot record the boot id in \(path): \(error)"].compactMap { $0 }.joined(separator: "; ")
        }
        return Next(bootId: bootId, problem: problem)
    }
}
