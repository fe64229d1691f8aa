import Glibc
import JunctionConfig
import SystemInterface

/// A non-blocking IPv4 UDP socket: the one place the socket API is called, for the upstream
/// service and the neighbour service alike.
///
/// Non-blocking: `receive` returns nil when nothing is queued, and a full send buffer is a
/// counted send error rather than a wait, so the service thread never stalls on the network.
/// Datagrams the kernel discards with the receive buffer full (a flood) are counted too: the
/// kernel's count (`SO_RXQ_OVFL`) comes with every datagram received and is kept in `kernelDrops`,
/// and is read again whenever the queue is found empty (or `readKernelDrops` is called), so drops
/// after the last datagram of a flood show without waiting for another one.
public final class UpstreamSocket {
    public let descriptor: CInt
    /// Datagrams the kernel discarded for this socket, as of the last datagram received, the last
    /// receive that found the queue empty, or the last `readKernelDrops`, whichever was latest.
    public private(set) var kernelDrops: UInt64 = 0
    /// Room for the one control message asked for (a 4-byte count after its header), with margin.
    private var control = [UInt8](repeating: 0, count: 64)

    /// Opens a socket bound to `address` (port 0: any free port).
    public init(binding address: UpstreamSettings.Address) throws(SystemError) {
        let descriptor = try Syscall.socket(domain: AF_INET, type: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue))
        do {
            try Syscall.bind(descriptor, to: Self.socketAddress(address), "\(address)")
            try Syscall.setSocketOption(descriptor, level: SOL_SOCKET, name: SO_RXQ_OVFL, value: 1, "SO_RXQ_OVFL")
        } catch {
            Syscall.close(descriptor)
            throw error
        }
        // Stored only once it is bound: a throw after every property is set would run `deinit`,
        // which would close the descriptor a second time.
        self.descriptor = descriptor
    }

    deinit {
        Syscall.close(descriptor)
    }

    /// The port the socket is bound to (the chosen one when bound to port 0).
    public func localPort() -> UInt16 {
        // getsockname on a bound socket fails only for lack of kernel memory; 0 then says "unknown".
        (try? Syscall.localAddress(descriptor)).map { UInt16(bigEndian: $0.sin_port) } ?? 0
    }

    /// Waits up to `timeoutMilliseconds` for a datagram; true when one is queued.
    public func waitReadable(timeoutMilliseconds: Int) -> Bool {
        (try? Syscall.waitReadable(descriptor, timeoutMilliseconds: CInt(clamping: max(0, timeoutMilliseconds)))) ?? false
    }

    /// One queued datagram and its source, or nil when none is queued. `buffer` must be larger
    /// than any acceptable datagram, so that an oversized one shows as such (the count is the
    /// datagram's full length). Updates `kernelDrops` from the datagram's control message, or
    /// from the socket's own count when none is queued.
    public func receive(into buffer: inout [UInt8]) -> (count: Int, from: UpstreamSettings.Address)? {
        var source = sockaddr_in()
        let received: Int? = buffer.withUnsafeMutableBytes { bytes in
            control.withUnsafeMutableBytes { controlBytes in
                withUnsafeMutablePointer(to: &source) { sourcePointer in
                    var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr(
                            msg_name: UnsafeMutableRawPointer(sourcePointer),
                            msg_namelen: socklen_t(MemoryLayout<sockaddr_in>.size), msg_iov: vectorPointer,
                            msg_iovlen: 1, msg_control: controlBytes.baseAddress, msg_controllen: controlBytes.count,
                            msg_flags: 0)
                        // EINTR is retried; any other failure: try again on the next wake-up.
                        let count = try? Syscall.receiveMessage(descriptor, &message, flags: CInt(MSG_TRUNC))
                        let filled = UnsafeRawBufferPointer(rebasing: controlBytes[0..<min(message.msg_controllen, controlBytes.count)])
                        if count != nil, let drops = Self.droppedCount(filled) {
                            kernelDrops = max(kernelDrops, UInt64(drops))
                        }
                        return count
                    }
                }
            }
        }
        guard let received else {
            readKernelDrops()
            return nil
        }
        let host = UInt32(bigEndian: source.sin_addr.s_addr)
        let octets = [UInt8(host >> 24), UInt8(host >> 16 & 0xFF), UInt8(host >> 8 & 0xFF), UInt8(host & 0xFF)]
        return (received, UpstreamSettings.Address(octets: octets, port: UInt16(bigEndian: source.sin_port)))
    }

    /// Updates `kernelDrops` from the socket's own count (`SO_MEMINFO`), which is current whether
    /// or not datagrams are queued; for a caller that stops receiving before the queue is empty.
    public func readKernelDrops() {
        if let drops = SocketDrops.count(descriptor) { kernelDrops = max(kernelDrops, UInt64(drops)) }
    }

    /// The `SO_RXQ_OVFL` count among the control messages in `control` (a `cmsghdr` — length,
    /// level, type — then its data, each message padded to 8 bytes), if there is one.
    private static func droppedCount(_ control: UnsafeRawBufferPointer) -> UInt32? {
        let header = MemoryLayout<cmsghdr>.size
        var offset = 0
        while offset + header <= control.count {
            let length = control.loadUnaligned(fromByteOffset: offset, as: Int.self)
            let level = control.loadUnaligned(fromByteOffset: offset + 8, as: CInt.self)
            let type = control.loadUnaligned(fromByteOffset: offset + 12, as: CInt.self)
            guard length >= header, offset + length <= control.count else { return nil }
            if level == SOL_SOCKET, type == SO_RXQ_OVFL, length >= header + 4 {
                return control.loadUnaligned(fromByteOffset: offset + header, as: UInt32.self)
            }
            offset += (length + 7) & ~7
        }
        return nil
    }

    /// Sends one datagram; false (for counting) when the kernel refused it.
    public func send(_ bytes: [UInt8], to address: UpstreamSettings.Address) -> Bool {
        let socketAddress = Self.socketAddress(address)
        let sent = try? bytes.withUnsafeBytes { payload throws(SystemError) in
            try Syscall.send(descriptor, payload, to: socketAddress)
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
