import CCentralLinux
import SystemInterface

#if canImport(Glibc)
import Glibc
#endif

/// An error from a socket call, with the call's name and errno.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// One bound IPv4 UDP socket: the only file of central that makes socket system calls.
///
/// Receives in batches with `recvmmsg` (one system call for up to `batchCapacity` datagrams, through the C shim)
/// into buffers allocated once. EINTR is retried; a receive timeout returns an empty batch so the caller's loop can run its timers.
public final class UDPSocket: @unchecked Sendable {
    /// The largest datagram kept whole; longer ones arrive truncated and flagged, and the decoder refuses them.
    public static let bufferBytes = 2048

    let descriptor: Int32
    /// The address the socket is bound to (with the port the kernel chose when 0 was asked for).
    public let localAddress: SocketAddress
    private let batchCapacity: Int
    private let buffers: UnsafeMutablePointer<UInt8>
    private var sources: [sockaddr_in]
    private var lengths: [Int]
    private var truncated: [Int32]

    /// Binds to `address`; `receiveBufferBytes` asks the kernel for a larger queue (bursts from many junctions),
    /// `receiveTimeoutMilliseconds` bounds how long a receive waits.
    public init(
        bindingTo address: SocketAddress, batchCapacity: Int = 64, receiveBufferBytes: Int = 8 << 20,
        receiveTimeoutMilliseconds: Int = 50
    ) throws(SocketError) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(call: "socket", errno: errno) }
        self.descriptor = descriptor
        var size = Int32(receiveBufferBytes)
        // SO_RCVBUFFORCE passes rmem_max when privileged; otherwise the plain request is capped by the kernel.
        if setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(
            tv_sec: receiveTimeoutMilliseconds / 1000, tv_usec: (receiveTimeoutMilliseconds % 1000) * 1000)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var storage = address.sockaddr
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let error = SocketError(call: "bind \(address)", errno: errno)
            close(descriptor)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        localAddress = SocketAddress(actual)
        self.batchCapacity = batchCapacity
        buffers = UnsafeMutablePointer<UInt8>.allocate(capacity: batchCapacity * Self.bufferBytes)
        sources = Array(repeating: sockaddr_in(), count: batchCapacity)
        lengths = Array(repeating: 0, count: batchCapacity)
        truncated = Array(repeating: 0, count: batchCapacity)
    }

    deinit {
        close(descriptor)
        buffers.deallocate()
    }

    /// Waits up to the receive timeout for datagrams and calls `body` once per datagram received, in order.
    ///
    /// The bytes passed to `body` are valid only during the call. Returns the number of datagrams received.
    @discardableResult
    public func receiveBatch(_ body: (UnsafeRawBufferPointer, SocketAddress) -> Void) throws(SocketError) -> Int {
        let count = central_receive_batch(
            descriptor, buffers, Self.bufferBytes, UInt32(batchCapacity), &sources, &lengths, &truncated)
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
            throw SocketError(call: "recvmmsg", errno: errno)
        }
        for index in 0..<Int(count) {
            // A datagram longer than the buffer is flagged MSG_TRUNC; handing over the whole (full) buffer, which is
            // longer than any valid datagram, lets the decoder refuse it as oversized rather than parse a cut copy.
            let length = truncated[index] != 0 ? Self.bufferBytes : lengths[index]
            body(UnsafeRawBufferPointer(start: buffers + index * Self.bufferBytes, count: length), SocketAddress(sources[index]))
        }
        return Int(count)
    }

    /// Datagrams the kernel has dropped on this socket since it was opened because its receive queue was full
    /// (`SO_MEMINFO`'s drop count, which wraps at 2^32), or nil where the kernel does not report it.
    public func kernelDrops() -> UInt32? { SocketDrops.count(descriptor) }

    /// Sends one datagram; a full socket buffer or an unreachable peer is returned as an error for counting.
    public func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) {
        var storage = address.sockaddr
        while true {
            let sent = bytes.withUnsafeBytes { buffer in
                withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            if sent >= 0 { return }
            if errno != EINTR { throw SocketError(call: "sendto \(address)", errno: errno) }
        }
    }

    /// Sends the datagrams `range` of `packed` to one address with as few system calls as the kernel allows
    /// (`sendmmsg`); returns how many were taken (fewer when the socket buffer filled).
    public func sendBatch(_ packed: PackedDatagrams, range: Range<Int>, to address: SocketAddress) throws(SocketError)
        -> Int
    {
        var destination = address.sockaddr
        let sent = packed.bytes.withUnsafeBufferPointer { bytes in
            var pointers: [UnsafePointer<UInt8>?] = range.map { bytes.baseAddress! + packed.offsets[$0] }
            var sizes: [Int] = range.map { packed.lengths[$0] }
            return central_send_batch(descriptor, &pointers, &sizes, UInt32(range.count), &destination)
        }
        guard sent >= 0 else { throw SocketError(call: "sendmmsg \(address)", errno: errno) }
        return Int(sent)
    }
}
