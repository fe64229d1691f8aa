import Glibc

/// An AF_UNIX socket address: a filesystem path, or a Linux abstract name written with a leading `@`
/// (the spelling systemd uses in `$NOTIFY_SOCKET`).
public struct UnixSocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// Why a string is not a usable AF_UNIX address.
    public enum ParseError: Error, Sendable, Equatable {
        /// Neither an absolute path nor an `@` abstract name (systemd's `vsock:` form is one of these).
        case unsupported(String)
        /// Longer than the 107 bytes `sockaddr_un` can carry.
        case tooLong(String)
    }

    /// Whether the address lives in the filesystem or in the abstract namespace.
    public let isAbstract: Bool
    /// The path, or the abstract name without its `@`.
    public let name: String

    /// Parses `/run/systemd/notify` or `@name`.
    public init(_ text: String) throws(ParseError) {
        if text.hasPrefix("@") {
            isAbstract = true
            name = String(text.dropFirst())
        } else if text.hasPrefix("/") {
            isAbstract = false
            name = text
        } else {
            throw .unsupported(text)
        }
        // A path needs its terminating NUL; an abstract name needs its leading NUL.
        if name.utf8.count + 1 > Self.capacity || name.isEmpty {
            throw name.isEmpty ? .unsupported(text) : .tooLong(text)
        }
    }

    /// A filesystem path as given, relative ones included (a client's `--socket ./junctiond.sock`).
    package init(path: String) throws(ParseError) {
        isAbstract = false
        name = path
        if path.isEmpty { throw .unsupported(path) }
        if path.utf8.count + 1 > Self.capacity { throw .tooLong(path) }
    }

    /// The longest filesystem path an address can carry, in bytes.
    package static var maxPathBytes: Int { capacity - 1 }

    /// The address as systemd spells it.
    public var description: String { isAbstract ? "@" + name : name }

    /// Calls `body` with this address as a `sockaddr` and its exact length.
    package func withSockaddr<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Result
    ) throws(SystemError) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let offset = isAbstract ? 1 : 0
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in name.utf8.enumerated() {
                path[offset + index] = byte
            }
        }
        // A path carries its terminating NUL; an abstract name its leading NUL and no trailing one,
        // since every byte of the given length is part of the name.
        let length = socklen_t(Self.pathOffset + name.utf8.count + 1)
        return try withUnsafePointer(to: &address) { pointer throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic throws(SystemError) in
                try body(generic, length)
            }
        }
    }

    private static let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
    private static let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
}
