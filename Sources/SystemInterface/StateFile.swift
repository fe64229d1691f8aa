import Glibc

/// The small records the daemon keeps in its state directory (the latched fault, the upstream
/// replay windows), read and written one way.
///
/// Guarantees: a read never blocks (the file is opened `O_NONBLOCK` and must be a regular file
/// by `fstat`), reads at most `limit + 1` bytes and says which step failed, so each record can
/// word its own doubt; a replacement is written to a temporary file, synced and renamed over the
/// record, so a crash or power cut leaves the old record or the new one, never a torn one.
package enum StateFile {
    /// What a read found.
    package enum Read {
        case contents([UInt8])
        /// No file at the path (ENOENT).
        case absent
        case openFailed(SystemError)
        /// Not a regular file; the `st_mode` it has.
        case notRegular(mode_t)
        /// `fstat` gave more than the limit.
        case tooLarge(bytes: Int)
        /// More than the limit was read, though `fstat` gave less: it grew while being read.
        case grew
        case readFailed(SystemError)
    }

    /// The bytes of the record at `path`, at most `limit`.
    package static func read(_ path: String, limit: Int) -> Read {
        let descriptor: CInt
        do {
            descriptor = try Syscall.open(path, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY)
        } catch {
            return error.code == ENOENT ? .absent : .openFailed(error)
        }
        defer { Syscall.close(descriptor) }
        var buffer: [UInt8]
        var filled = 0
        do {
            let status = try Syscall.fstat(descriptor)
            guard status.st_mode & S_IFMT == S_IFREG else { return .notRegular(status.st_mode) }
            guard status.st_size <= limit else { return .tooLarge(bytes: Int(status.st_size)) }
            buffer = [UInt8](repeating: 0, count: limit + 1)
            while filled < buffer.count {
                let count = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(SystemError) in
                        try Syscall.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                    }
                }.get()
                if count == 0 { break }
                filled += count
            }
        } catch {
            return .readFailed(error)
        }
        return filled <= limit ? .contents(Array(buffer[..<filled])) : .grew
    }

    /// Makes `bytes` the record at `path`: temporary file (mode 0600), fsync, rename. The caller
    /// decides whether a failed sync of the directory (`syncDirectory`) matters to it.
    ///
    /// Whatever lies at the temporary path (a crash's leftover, or a FIFO, whose open would block
    /// the caller until someone opened its other end) is removed first, and the file is created
    /// anew (`O_EXCL`), so the write never lands anywhere but in a new regular file.
    package static func replace(_ path: String, with bytes: [UInt8]) throws(SystemError) {
        let temporary = path + ".new"
        try Syscall.unlink(temporary)
        let descriptor = try Syscall.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        do {
            defer { Syscall.close(descriptor) }
            try Syscall.writeAll(descriptor, bytes)
            try Syscall.fsync(descriptor)
        } catch {
            try? Syscall.unlink(temporary)
            throw error
        }
        try Syscall.rename(temporary, to: path)
    }

    /// The record `name` in `directory`.
    package static func path(_ name: String, in directory: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + name
    }

    /// Syncs `directory`, so that a rename in it survives a power cut.
    package static func syncDirectory(_ directory: String) throws(SystemError) {
        let descriptor = try Syscall.open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { Syscall.close(descriptor) }
        try Syscall.fsync(descriptor)
    }
}
