import Glibc
import JunctionConfig

/// The upstream UDP socket (IPv4): the one place the upstream service calls the socket API.
///
/// Non-blocking: `receive` returns nil when nothing is queued, and a full send buffer is a
/// counted send error rather than a wait, so the service thread never stalls on the network.
final class UpstreamSocket {
    let descriptor: CInt

    /// Opens a socket bound to `address` (port 0: any free port).
    init(binding address: UpstreamSettings.Address) throws(SystemError) {
        let made = Glibc.socket(AF_INET, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard made >= 0 else { throw SystemError(call: "socket(AF_INET, SOCK_DGRAM)", code: errno) }
        descriptor = made
        var socketAddress = Self.socketAddress(address)
        let result = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw SystemError(call: "bind(\(address))", code: code)
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// The port the socket is bound to (the chosen one when bound to port 0).
    func localPort() -> UInt16 {
        var socketAddress = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return UInt16(bigEndian: socketAddress.sin_port)
    }

    /// Waits up to `timeoutMilliseconds` for a datagram; true when one is queued.
    func waitReadable(timeoutMilliseconds: Int) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = Glibc.poll(&entry, 1, CInt(max(0, timeoutMilliseconds)))
        return ready > 0
    }

    /// One queued datagram and its source, or nil when none is queued. `buffer` must be larger
    /// than any acceptable datagram, so that an oversized one shows as such.
    func receive(into buffer: inout [UInt8]) -> (count: Int, from: UpstreamSettings.Address)? {
        var source = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let received = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &source) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_TRUNC), $0, &length)
                }
            }
        }
        // EAGAIN: nothing queued; EINTR and the rest: try again on the next wake-up.
        guard received >= 0 else { return nil }
        let host = UInt32(bigEndian: source.sin_addr.s_addr)
        let octets = [UInt8(host >> 24), UInt8(host >> 16 & 0xFF), UInt8(host >> 8 & 0xFF), UInt8(host & 0xFF)]
        return (received, UpstreamSettings.Address(octets: octets, port: UInt16(bigEndian: source.sin_port)))
    }

    /// Sends one datagram; false (for counting) when the kernel refused it.
    func send(_ bytes: [UInt8], to address: UpstreamSettings.Address) -> Bool {
        var socketAddress = Self.socketAddress(address)
        let sent = bytes.withUnsafeBytes { payload in
            withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, payload.baseAddress, payload.count, CInt(MSG_NOSIGNAL), $0,
                        socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == bytes.count
    }

    private static func socketAddress(_ address: UpstreamSettings.Address) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = address.port.bigEndian
        let host = address.octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        socketAddress.sin_addr = in_addr(s_addr: host.bigEndian)
        return socketAddress
    }
}
