import Diagnostics
import Glibc
import SystemInterface
import SystemPackage

/// Reads the bytes of a file an operator names (the junction file, a calendar, a key file, central's
/// city file) through SystemInterface, refusing anything that is not a regular file.
///
/// Guarantees: it never blocks on a FIFO or a device (the type is checked with `stat` before the
/// file is opened, and again with `fstat` on a descriptor opened `O_NONBLOCK`, in case the path
/// was swapped in between), reads at most `limit + 1` bytes, retries `EINTR`, and closes what it
/// opened. Every failure is one `ConfigProblem` that says what the path is or which error stopped
/// the read ("is a FIFO", "is a directory", "no such file", "permission denied").
public enum JunctionFile {
    /// Why a path could not be read: the problem kind and a sentence for a technician.
    public struct Failure: Error {
        public var kind: ConfigProblem.Kind
        /// What the path is or which error stopped the read ("is a FIFO (named pipe), not a
        /// regular file", "no such file").
        public var message: String
    }

    /// The bytes of the regular file at `path`; fails with `.tooLarge` beyond `limit` bytes.
    public static func contents(of path: String, limit: Int) throws(Failure) -> [UInt8] {
        try contents(of: FilePath(path), limit: limit)
    }

    /// The bytes of the regular file at `path`, opened by its bytes (which need not be UTF-8).
    static func contents(of path: FilePath, limit: Int) throws(Failure) -> [UInt8] {
        guard let status = try attempt({ () throws(SystemError) in try Syscall.status(path) }) else {
            throw Failure(kind: .unreadable, message: describe(ENOENT))
        }
        try requireRegular(status)
        let descriptor = try attempt { () throws(SystemError) in try Syscall.open(path, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY) }
        defer { Syscall.close(descriptor) }
        let opened = try attempt { () throws(SystemError) in try Syscall.fstat(descriptor) }
        try requireRegular(opened)
        if opened.st_size > limit { throw tooLarge(limit) }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var filled = 0
        while filled < bytes.count {
            // Array's withUnsafeMutableBytes only rethrows untyped errors: carry the read's in a Result.
            let read = bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemError) in
                    try Syscall.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
            }
            let count = try attempt(reading: true) { () throws(SystemError) in try read.get() }
            if count == 0 { break }
            filled += count
        }
        // The file grew after fstat: the bound holds for what was read, not for what stat said.
        guard filled <= limit else { throw tooLarge(limit) }
        return Array(bytes[..<filled])
    }

    /// What a failed `stat`, `open` or `read` means, in words; `errno` values the loader expects
    /// from a bad path get their own wording, the rest strerror's.
    static func describe(_ error: Int32) -> String {
        switch error {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case ENOTDIR: return "a component of the path is not a directory"
        case ELOOP: return "too many symbolic links in the path"
        case ENAMETOOLONG: return "the path is too long"
        case ENXIO: return "no device behind the path (a socket or a device without driver)"
        default: return SystemError(call: "", code: error).reason
        }
    }

    /// `path` for messages: as UTF-8, with each byte that is not part of UTF-8 written `\xFF`, so
    /// the name shown is the file that was opened (a lossy String would show U+FFFD, which names
    /// another file), and each scalar a terminal or log would act on written `\u{A}`
    /// (`DisplayText.isUnsafe`), so a newline in a path cannot split an error into two lines.
    package static func displayName(_ path: FilePath) -> String {
        let bytes = path.withPlatformString { UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) } }
        var text = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if DisplayText.isUnsafe(scalar) {
                    text += DisplayText.escape(scalar)
                } else {
                    text.unicodeScalars.append(scalar)
                }
                offset += encoded.count
            case .error(let length):
                text += bytes[offset..<offset + length].map { "\\x" + String($0, radix: 16, uppercase: true) }.joined()
                offset += length
            case .emptyInput:
                return text
            }
        }
    }

    /// The file type in `mode` (`st_mode`) in words, a regular file included.
    package static func kind(_ mode: mode_t) -> String {
        nonRegularKind(mode) ?? "a regular file"
    }

    /// The file type in `mode` (`st_mode`) in words, or nil for a regular file.
    package static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a device (character device)"
        case S_IFBLK: return "a device (block device)"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "an unknown kind of file"
        }
    }

    private static func requireRegular(_ status: stat) throws(Failure) {
        if let kind = nonRegularKind(status.st_mode) {
            throw Failure(kind: .unreadable, message: "is \(kind), not a regular file")
        }
    }

    /// Runs one call of the read, its SystemError (EINTR already retried) worded as a Failure.
    private static func attempt<Result>(reading: Bool = false, _ call: () throws(SystemError) -> Result) throws(Failure) -> Result {
        do {
            return try call()
        } catch {
            throw Failure(kind: .unreadable, message: reading ? "cannot read the file: \(describe(error.code))" : describe(error.code))
        }
    }

    private static func tooLarge(_ limit: Int) -> Failure {
        Failure(kind: .tooLarge, message: "the file has more than \(limit) bytes, the most allowed")
    }
}
