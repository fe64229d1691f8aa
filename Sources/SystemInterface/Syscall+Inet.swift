import Glibc

// The IPv4 calls of the upstream service (UDP) and the SNMP subagent (TCP to snmpd). They follow
// the rules of Syscall.swift through `retrying`: EINTR is retried, environment failures become a
// SystemError, EBADF/EFAULT trap.
extension Syscall {
    /// Binds `descriptor` to an IPv4 address.
    package static func bind(_ descriptor: CInt, to address: sockaddr_in, _ what: @autoclosure () -> String)
        throws(SystemError)
    {
        _ = try withGeneric(address) { pointer, length throws(SystemError) in
            try retrying("bind(\(what()))") { Glibc.bind(descriptor, pointer, length) }
        }
    }

    /// Starts connecting a non-blocking socket to an IPv4 address: true when connected at once,
    /// false when the handshake goes on (EINPROGRESS; wait for POLLOUT, then `pendingError`).
    package static func startConnect(_ descriptor: CInt, to address: sockaddr_in) throws(SystemError) -> Bool {
        do {
            _ = try withGeneric(address) { pointer, length throws(SystemError) in
                try retrying("connect") { Glibc.connect(descriptor, pointer, length) }
            }
            return true
        } catch {
            // EALREADY: a connect interrupted by a signal and retried goes on in the background.
            if error.code == EINPROGRESS || error.code == EALREADY { return false }
            throw error
        }
    }

    /// The error a non-blocking connect ended with (SO_ERROR), 0 when it succeeded.
    package static func pendingError(_ descriptor: CInt) throws(SystemError) -> CInt {
        var failure: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        _ = try retrying("getsockopt(SO_ERROR)") { getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length) }
        return failure
    }

    /// The IPv4 address `descriptor` is bound to (the chosen port when bound to port 0).
    package static func localAddress(_ descriptor: CInt) throws(SystemError) -> sockaddr_in {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = try withUnsafeMutablePointer(to: &address) { pointer throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic throws(SystemError) in
                try retrying("getsockname") { getsockname(descriptor, generic, &length) }
            }
        }
        return address
    }

    /// Sends one datagram to an IPv4 address, never raising SIGPIPE; returns the bytes sent.
    package static func send(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer, to address: sockaddr_in)
        throws(SystemError) -> Int
    {
        try withGeneric(address) { pointer, length throws(SystemError) in
            try retrying("sendto") {
                Glibc.sendto(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL), pointer, length)
            }
        }
    }

    /// `a.b.c.d` as an IPv4 address in network byte order; nil when it is not one.
    package static func ipv4Address(_ text: String) -> in_addr? {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1 ? address : nil
    }

    private static func withGeneric<Result>(
        _ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Result
    ) throws(SystemError) -> Result {
        var address = address
        return try withUnsafePointer(to: &address) { pointer throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic throws(SystemError) in
                try body(generic, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}
