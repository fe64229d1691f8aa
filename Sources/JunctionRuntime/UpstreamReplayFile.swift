import Glibc
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
        path = (directory.hasSuffix("/") ? directory : directory + "/") + "upstream-replay"
    }

    func load() -> Loaded {
        let descriptor: CInt
        do {
            descriptor = try Syscall.open(path, flags: O_RDONLY | O_NONBLOCK)
        } catch {
            return error.code == ENOENT ? .missing : .unusable("\(error)")
        }
        defer { Syscall.close(descriptor) }
        do {
            // Not a regular file (a FIFO would block, a directory cannot be read): unusable.
            let status = try Syscall.fstat(descriptor)
            guard status.st_mode & S_IFMT == S_IFREG else { return .unusable("not a regular file") }
            var bytes = [UInt8](repeating: 0, count: Self.maximumBytes + 1)
            var count = 0
            while count < bytes.count {
                let read = try bytes.withUnsafeMutableBytes { buffer throws(SystemError) in
                    try Syscall.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
                }
                if read == 0 { break }
                count += read
            }
            guard count <= Self.maximumBytes else { return .unusable("larger than \(Self.maximumBytes) bytes") }
            return .restored(try ReplayState(decoding: Array(bytes.prefix(count))))
        } catch let error as SystemError {
            return .unusable("\(error)")
        } catch {
            return .unusable("\(error)")
        }
    }

    /// Makes `state` the record, durably; throws (leaving the previous record) when the disk refuses.
    func save(_ state: ReplayState) throws(SystemError) {
        let temporary = path + ".new"
        let bytes = state.encoded()
        let descriptor = try Syscall.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        do throws(SystemError) {
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { buffer in
                    Result { () throws(SystemError) in
                        try Syscall.write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[written...]))
                    }
                }
                written += try result.get()
            }
            try Syscall.fsync(descriptor)
        } catch {
            Syscall.close(descriptor)
            throw error
        }
        Syscall.close(descriptor)
        try Syscall.rename(temporary, to: path)
        let folder = try Syscall.open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { Syscall.close(folder) }
        try Syscall.fsync(folder)
    }
}
