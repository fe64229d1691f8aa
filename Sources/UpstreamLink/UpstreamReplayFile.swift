import SystemInterface
import Wire

/// The upstream receiver's replay windows on disk (`ReplayState`'s record), so that a poll or an
/// acknowledgement accepted before a restart — kill -9 or power loss included — is refused after it.
///
/// Guarantees:
/// - `save` returns only once the record is durable: a temporary file is written and fsynced,
///   renamed over the record, and the directory fsynced. A crash leaves the old record or the new
///   one, never a mix.
/// - `load` tells a missing record (a first start: nothing to refuse) from an unusable one
///   (unreadable, damaged, or of another version), which the caller must not take as empty.
struct UpstreamReplayFile {
    /// What was found at start.
    enum Loaded {
        /// No record: nothing was accepted before, or the state directory is new.
        case missing
        /// The windows of the previous run.
        case restored(ReplayState)
        /// A record that exists but cannot be used, and why.
        case unusable(String)
    }

    /// Largest record read; a real one holds a few dozen bytes per central.
    static let maximumBytes = 64 * 1024

    let path: String
    private let directory: String

    /// The record `upstream-replay` in `directory`.
    init(directory: String) {
        self.directory = directory
        path = StateFile.path("upstream-replay", in: directory)
    }

    func load() -> Loaded {
        switch StateFile.read(path, limit: Self.maximumBytes) {
        case .contents(let bytes):
            do {
                return .restored(try ReplayState(decoding: bytes))
            } catch {
                return .unusable("\(error)")
            }
        case .absent: return .missing
        case .openFailed(let error), .readFailed(let error): return .unusable("\(error)")
        // Not a regular file (a FIFO would block, a directory cannot be read): unusable.
        case .notRegular: return .unusable("not a regular file")
        case .tooLarge, .grew: return .unusable("larger than \(Self.maximumBytes) bytes")
        }
    }

    /// Makes `state` the record, durably; throws (leaving the previous record) when the disk refuses.
    func save(_ state: ReplayState) throws(SystemError) {
        try StateFile.replace(path, with: state.encoded())
        try StateFile.syncDirectory(directory)
    }
}
