import Glibc

// The file calls of the fault record and the upstream replay file (mkdir and unlink are with the
// socket calls). They follow the rules of Syscall.swift:
// EINTR is retried, environment failures become a SystemError, EBADF/EFAULT trap. (They live
// beside it rather than in it only because Syscall.swift has another owner.)
extension Syscall {
    /// Renames `source` to `destination`, replacing it atomically.
    static func rename(_ source: String, to destination: String) throws(SystemError) {
        _ = try fileRetrying("rename(\(destination))") { Glibc.rename(source, destination) }
    }

    /// Flushes `descriptor`'s data and metadata to the device.
    static func fsync(_ descriptor: CInt) throws(SystemError) {
        _ = try fileRetrying("fsync") { Glibc.fsync(descriptor) }
    }

    /// Writes all of `bytes`, calling write(2) again after a short write.
    static func writeAll(_ descriptor: CInt, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            offset += try bytes.withUnsafeBytes { buffer in
                Result { () throws(SystemError) in
                    try write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                }
            }.get()
        }
    }

    /// Runs `body` until it stops failing with EINTR; -1 becomes a `SystemError` named `call`.
    private static func fileRetrying<Result: BinaryInteger>(
        _ call: @autoclosure () -> String, _ body: () -> Result
    ) throws(SystemError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EBADF || code == EFAULT {
                preconditionFailure("\(SystemError(call: call(), code: code)): a closed descriptor or bad pointer is a bug")
            }
            throw SystemError(call: call(), code: code)
        }
    }
}
