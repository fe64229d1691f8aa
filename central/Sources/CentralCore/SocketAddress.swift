#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 host and UDP port, as written in config files: `127.0.0.1:47800`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IPv4 address in network byte order, as `sockaddr_in` holds it.
    public var hostNetworkOrder: UInt32
    public var port: UInt16

    /// Parses `a.b.c.d:port`; nil for anything else (names are not resolved: junctions are configured by address).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else { return nil }
        var address = in_addr()
        guard inet_pton(AF_INET, String(parts[0]), &address) == 1 else { return nil }
        hostNetworkOrder = address.s_addr
        self.port = port
    }

    /// The address of a received datagram.
    init(_ storage: sockaddr_in) {
        hostNetworkOrder = storage.sin_addr.s_addr
        port = UInt16(bigEndian: storage.sin_port)
    }

    var sockaddr: sockaddr_in {
        var storage = sockaddr_in()
        storage.sin_family = sa_family_t(AF_INET)
        storage.sin_port = port.bigEndian
        storage.sin_addr.s_addr = hostNetworkOrder
        return storage
    }

    public var description: String {
        let host = UInt32(bigEndian: hostNetworkOrder)
        return "\(host >> 24).\((host >> 16) & 0xff).\((host >> 8) & 0xff).\(host & 0xff):\(port)"
    }
}
