/// One line of `/proc/<pid>/maps`: an address range of the process and what backs it.
///
/// `init?(mapsLine:)` accepts exactly the kernel's format
/// (`start-end perms offset dev inode [path]`, addresses and offset in hex) and rejects anything
/// else, so a misread line can never become a range handed to `mlock`.
struct ProcessMapping: Sendable, Equatable {
    /// The first address of the mapping (page-aligned).
    var startAddress: UInt
    /// One past the last address of the mapping (page-aligned).
    var endAddress: UInt
    /// Whether the pages may be read, written or executed.
    var readable: Bool
    var writable: Bool
    var executable: Bool
    /// Whether the mapping is shared (`s`) rather than private copy-on-write (`p`).
    var shared: Bool
    /// Where in the backing file the mapping starts, in bytes (0 for anonymous memory).
    var fileOffsetBytes: UInt64
    /// The backing file's path, a kernel name such as `[heap]`, `[stack]` or `[vvar]`, or "" for
    /// anonymous memory. A deleted file keeps the kernel's ` (deleted)` suffix.
    var path: String

    /// The mapping's length.
    var byteCount: UInt { endAddress - startAddress }

    /// Whether any access is allowed. Inaccessible (`---p`) mappings are guard pages and address
    /// space reserved by malloc or thread stacks: nothing can read them until they are remapped.
    var isAccessible: Bool { readable || writable || executable }

    /// Whether the kernel itself provides the mapping (`[vvar]`, `[vdso]`, `[vsyscall]`): mlock
    /// either skips these or, for `[vsyscall]` (outside the process's own address space), fails.
    var isKernelProvided: Bool {
        path.hasPrefix("[v")
    }

    /// Whether the mapping is memory no file backs: the heap, stacks and anonymous `mmap`.
    var isAnonymous: Bool {
        path.isEmpty || path.hasPrefix("[") && !isKernelProvided
    }

    /// The last component of `path` ("" for anonymous memory), for matching library names.
    var fileName: String {
        guard !isAnonymous, !isKernelProvided else {
            return ""
        }
        return String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    }

    /// Whether `address` lies inside the mapping.
    func contains(_ address: UInt) -> Bool {
        startAddress <= address && address < endAddress
    }

    /// Parses one line of `/proc/<pid>/maps`; nil for anything malformed.
    init?(mapsLine line: Substring) {
        // Six fields separated by runs of spaces; the path (field six) may itself contain spaces.
        var rest = line[...]
        func field() -> Substring? {
            rest = rest.drop(while: { $0 == " " })
            guard !rest.isEmpty else {
                return nil
            }
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            defer { rest = rest[end...] }
            return rest[..<end]
        }
        guard let range = field(), let permissions = field(), let offset = field(), field() != nil,
            field() != nil
        else {
            return nil
        }
        let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
            start < end, let fileOffset = UInt64(offset, radix: 16)
        else {
            return nil
        }
        let flags = Array(permissions.utf8)
        guard flags.count == 4,
            flags[0] == UInt8(ascii: "r") || flags[0] == UInt8(ascii: "-"),
            flags[1] == UInt8(ascii: "w") || flags[1] == UInt8(ascii: "-"),
            flags[2] == UInt8(ascii: "x") || flags[2] == UInt8(ascii: "-"),
            flags[3] == UInt8(ascii: "p") || flags[3] == UInt8(ascii: "s")
        else {
            return nil
        }
        startAddress = start
        endAddress = end
        readable = flags[0] == UInt8(ascii: "r")
        writable = flags[1] == UInt8(ascii: "w")
        executable = flags[2] == UInt8(ascii: "x")
        shared = flags[3] == UInt8(ascii: "s")
        fileOffsetBytes = fileOffset
        path = String(rest.drop(while: { $0 == " " }))
    }
}
