import Glibc
import JunctionConfig
import SystemInterface

/// One stream connection to snmpd's AgentX master socket (unix or TCP), non-blocking once open.
/// Owned by the subagent thread alone; closing it is the subagent's way of dropping a session.
final class SNMPConnection {
    private let descriptor: CInt

    private init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    deinit {
        Syscall.close(descriptor)
    }

    /// Connects to `endpoint`, waiting at most `timeoutMilliseconds` for a TCP handshake (a unix
    /// socket connects or fails at once).
    static func open(
        _ endpoint: SNMPSettings.Endpoint, timeoutMilliseconds: Int
    ) throws(SNMPConnectionError) -> SNMPConnection {
        switch endpoint {
        case .unix(let path):
            let address: UnixSocketAddress
            do {
                address = try UnixSocketAddress(path)
            } catch {
                throw .unsupportedHost(path)
            }
            let connection: SNMPConnection
            do {
                connection = SNMPConnection(descriptor: try Syscall.connectUnixStream(to: address))
                try Syscall.setNonBlocking(connection.descriptor)
            } catch {
                throw .system(error)
            }
            return connection
        case .tcp(let host, let port):
            guard let address = ipv4Address(host) else { throw .unsupportedHost(host) }
            let descriptor: CInt
            do {
                descriptor = try Syscall.socket(domain: AF_INET, type: CInt(SOCK_STREAM.rawValue))
            } catch {
                throw .system(error)
            }
            let connection = SNMPConnection(descriptor: descriptor)
            do {
                try Syscall.setNonBlocking(descriptor)
            } catch {
                throw .system(error)
            }
            try connection.connectTCP(address: address, port: port, timeoutMilliseconds: timeoutMilliseconds)
            return connection
        }
    }

    /// `a.b.c.d` or `localhost` as an address in network byte order.
    private static func ipv4Address(_ host: String) -> in_addr? {
        Syscall.ipv4Address(host == "localhost" ? "127.0.0.1" : host)
    }

    /// A non-blocking connect that waits for the handshake with poll, so an unreachable host costs
    /// at most the timeout rather than the kernel's minutes of SYN retries.
    private func connectTCP(address: in_addr, port: UInt16, timeoutMilliseconds: Int) throws(SNMPConnectionError) {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = address
        do {
            if try Syscall.startConnect(descriptor, to: socketAddress) { return }
        } catch {
            throw .system(error)
        }
        var entries = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
        let ready: Int
        do {
            ready = try Syscall.poll(&entries, timeoutMilliseconds: CInt(clamping: timeoutMilliseconds))
        } catch {
            throw .system(error)
        }
        guard ready > 0 else { throw .timedOut("connect") }
        let failure: CInt
        do {
            failure = try Syscall.pendingError(descriptor)
        } catch {
            throw .system(error)
        }
        if failure != 0 { throw .system(SystemError(call: "connect", code: failure)) }
    }

    /// Sends all of `bytes`, waiting for room at most `timeoutMilliseconds` in total.
    func send(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(SNMPConnectionError) {
        var offset = 0
        let deadline = Clocks.monotonicNanoseconds() + timeoutMilliseconds * 1_000_000
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Result { () throws(SystemError) in
                    try Syscall.sendNow(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
                }
            }
            switch sent {
            case .success(let count): offset += count
            case .failure(let error): throw .system(error)
            }
            if offset == bytes.count { return }
            let left = (deadline - Clocks.monotonicNanoseconds()) / 1_000_000
            guard left > 0 else { throw .timedOut("send") }
            var entries = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
            do {
                _ = try Syscall.poll(&entries, timeoutMilliseconds: CInt(clamping: left))
            } catch {
                throw .system(error)
            }
        }
    }

    /// Waits up to `waitMilliseconds` for bytes and returns what arrived; nil when nothing did.
    /// Throws `closedByPeer` at end of stream.
    func receive(waitMilliseconds: Int) throws(SNMPConnectionError) -> [UInt8]? {
        do {
            guard try Syscall.waitReadable(descriptor, timeoutMilliseconds: CInt(clamping: waitMilliseconds)) else {
                return nil
            }
        } catch {
            throw .system(error)
        }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let received = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemError) in try Syscall.receiveNow(descriptor, into: raw) }
        }
        switch received {
        case .failure(let error): throw .system(error)
        case .success(nil): return nil
        case .success(0): throw .closedByPeer
        case .success(let count?): return Array(buffer.prefix(count))
        }
    }
}
