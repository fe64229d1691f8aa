import Glibc

// The file calls of the fault record and the upstream replay file (mkdir and unlink are with the
// socket calls). They follow the rules of Syscall.swift through `retrying`: EINTR is retried,
// environment failures become a SystemError, EBADF/EFAULT trap.
extension Syscall {
    /// Renames `source` to `destination`, replacing it atomically.
    package static func rename(_ source: String, to destination: String) throws(SystemError) {
        _ = try retrying("rename(\(destination))") { Glibc.rename(source, destination) }
    }

    /// Flushes `descriptor`'s data and metadata to the device.
    package static func fsync(_ descriptor: CInt) throws(SystemError) {
        _ = try retrying("fsync") { Glibc.fsync(descriptor) }
    }

    /// Writes all of `bytes`, calling write(2) again after a short write.
    package static func writeAll(_ descriptor: CInt, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            offset += try bytes.withUnsafeBytes { buffer in
                Result { () throws(SystemError) in
                    try write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                }
            }.get()
        }
    }
}
