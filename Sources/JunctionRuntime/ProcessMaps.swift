import Glibc
import SystemInterface

/// Reads and parses `/proc/self/maps`, the kernel's list of this process's mappings, and the
/// resident size from `/proc/self/statm`.
enum ProcessMaps {
    /// Where the kernel lists the calling process's mappings.
    static let ownPath = "/proc/self/maps"
    /// Where the kernel gives the calling process's sizes in pages: total, resident, shared, ...
    static let ownStatmPath = "/proc/self/statm"

    /// Every well-formed line of `text`, in the kernel's order (ascending addresses). Malformed
    /// lines are dropped rather than guessed at.
    static func parse(_ text: String) -> [ProcessMapping] {
        text.split(separator: "\n").compactMap { ProcessMapping(mapsLine: $0) }
    }

    /// This process's mappings as they are now. Allocates; call it outside the tick.
    static func readOwn() throws(SystemError) -> [ProcessMapping] {
        parse(try readWhole(ownPath))
    }

    /// This process's resident set size in bytes (what `ps` shows as RSS).
    static func ownResidentBytes() throws(SystemError) -> UInt {
        let text = try readWhole(ownStatmPath)
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt(fields[1]) else {
            throw SystemError(call: "parse(\(ownStatmPath))", code: EINVAL)
        }
        return pages * Syscall.pageBytes()
    }

    /// The whole of a (small, /proc) file as text.
    private static func readWhole(_ path: String) throws(SystemError) -> String {
        let descriptor = try Syscall.open(path, flags: O_RDONLY)
        defer { Syscall.close(descriptor) }
        var contents: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = try Syscall.read(descriptor, into: chunk)
            if count == 0 {
                break
            }
            contents.append(contentsOf: chunk[..<count])
        }
        return String(decoding: contents, as: UTF8.self)
    }
}
