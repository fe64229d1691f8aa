import Glibc
import SystemPackage

// The stream-socket, file-mode and group calls of the diagnostic server. They follow the rules
// of Syscall.swift: EINTR is retried, environment failures become a SystemError, EBADF/EFAULT trap.
// (They live beside it rather than in it only because Syscall.swift has another owner.)
extension Syscall {
    /// Marks `descriptor` as a listening socket with room for `backlog` pending connections.
    package static func listen(_ descriptor: CInt, backlog: CInt) throws(SystemError) {
        _ = try retrying("listen") { Glibc.listen(descriptor, backlog) }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec descriptor; nil when none
    /// is pending (or the peer gave up before it was accepted).
    package static func accept(_ descriptor: CInt) throws(SystemError) -> CInt? {
        let client: CInt
        do {
            client = try retrying("accept") { Glibc.accept(descriptor, nil, nil) }
        } catch {
            if error.code == EAGAIN || error.code == EWOULDBLOCK || error.code == ECONNABORTED { return nil }
            throw error
        }
        do {
            try setNonBlocking(client)
            _ = try retrying("fcntl(F_SETFD)") { fcntl(client, F_SETFD, FD_CLOEXEC) }
        } catch {
            close(client)
            throw error
        }
        return client
    }

    /// A new close-on-exec AF_UNIX stream socket connected to `address` (blocking connect); on
    /// failure nothing stays open.
    package static func connectUnixStream(to address: UnixSocketAddress) throws(SystemError) -> CInt {
        let descriptor = try socket(domain: AF_UNIX, type: CInt(SOCK_STREAM.rawValue))
        do {
            try connect(descriptor, to: address)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Connects a stream socket to an AF_UNIX address (blocking).
    package static func connect(_ descriptor: CInt, to address: UnixSocketAddress) throws(SystemError) {
        _ = try address.withSockaddr { pointer, length throws(SystemError) in
            try retrying("connect(\(address))") { Glibc.connect(descriptor, pointer, length) }
        }
    }

    /// Sets O_NONBLOCK on `descriptor`.
    package static func setNonBlocking(_ descriptor: CInt) throws(SystemError) {
        let flags = try retrying("fcntl(F_GETFL)") { fcntl(descriptor, F_GETFL) }
        _ = try retrying("fcntl(F_SETFL)") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sends on a connected socket, waiting for room, never raising SIGPIPE; returns the bytes sent.
    package static func send(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        try retrying("send") { Glibc.send(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL)) }
    }

    /// Sends what the socket takes now, never blocking and never raising SIGPIPE; 0 when it takes nothing.
    package static func sendNow(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        do {
            return try retrying("send") {
                Glibc.send(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
        } catch {
            if error.code == EAGAIN || error.code == EWOULDBLOCK { return 0 }
            throw error
        }
    }

    /// Receives what has arrived, never blocking: the byte count, 0 at end of stream, nil when nothing is waiting.
    package static func receiveNow(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
        do {
            return try retrying("recv") { Glibc.recv(descriptor, buffer.baseAddress, buffer.count, CInt(MSG_DONTWAIT)) }
        } catch {
            if error.code == EAGAIN || error.code == EWOULDBLOCK { return nil }
            throw error
        }
    }

    /// Bytes received on a stream socket and not read yet (FIONREAD); 0 when it cannot tell.
    package static func unreadBytes(_ descriptor: CInt) -> Int {
        var count: CInt = 0
        return ioctl(descriptor, UInt(FIONREAD), &count) == 0 ? Int(count) : 0
    }

    /// Waits until one of `entries` is ready or `timeoutMilliseconds` pass; returns how many are ready.
    package static func poll(_ entries: inout [pollfd], timeoutMilliseconds: CInt) throws(SystemError) -> Int {
        try entries.withUnsafeMutableBufferPointer { buffer throws(SystemError) in
            try poll(buffer, timeoutMilliseconds: timeoutMilliseconds)
        }
    }

    /// `poll` over a buffer the caller keeps, for a thread that must not allocate per wait.
    package static func poll(_ entries: UnsafeMutableBufferPointer<pollfd>, timeoutMilliseconds: CInt)
        throws(SystemError) -> Int
    {
        Int(try retrying("poll") { Glibc.poll(entries.baseAddress, nfds_t(entries.count), timeoutMilliseconds) })
    }

    /// The kernel's record of who connected on `descriptor`: SO_PEERCRED for uid, gid and pid,
    /// SO_PEERGROUPS for the supplementary groups.
    package static func peerCredentials(_ descriptor: CInt) throws(SystemError)
        -> (uid: UInt32, gid: UInt32, groups: [UInt32], pid: Int32)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }, which the Glibc module does not import.
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        _ = try retrying("getsockopt(SO_PEERCRED)") {
            getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length)
        }
        var groups = [UInt32](repeating: 0, count: 256)
        var groupBytes = socklen_t(groups.count * MemoryLayout<UInt32>.size)
        let soPeerGroups: CInt = 59
        let result = groups.withUnsafeMutableBytes { buffer in
            getsockopt(descriptor, SOL_SOCKET, soPeerGroups, buffer.baseAddress, &groupBytes)
        }
        // Kernels before 4.13 lack SO_PEERGROUPS, and a peer with more than 256 groups gets ERANGE:
        // then only the primary group counts, which can refuse but never wrongly admit.
        let supplementary = result == 0 ? Array(groups.prefix(Int(groupBytes) / MemoryLayout<UInt32>.size)) : []
        return (credentials.uid, credentials.gid, supplementary, credentials.pid)
    }

    /// The metadata of `path` itself (not what a symlink points to); nil when it does not exist.
    package static func lstat(_ path: String) throws(SystemError) -> stat? {
        var status = stat()
        do {
            _ = try retrying("lstat(\(path))") { Glibc.lstat(path, &status) }
        } catch {
            if error.code == ENOENT { return nil }
            throw error
        }
        return status
    }

    /// The status of `path` after following symbolic links, or nil when nothing is there.
    package static func status(_ path: String) throws(SystemError) -> stat? {
        try status(FilePath(path))
    }

    /// The status of `path`, whatever its bytes, after following symbolic links, or nil when nothing is there.
    package static func status(_ path: FilePath) throws(SystemError) -> stat? {
        var status = stat()
        do {
            _ = try retrying("stat(\(path))") { path.withPlatformString { fstatat(AT_FDCWD, $0, &status, 0) } }
        } catch {
            if error.code == ENOENT { return nil }
            throw error
        }
        return status
    }

    /// Removes `path`; a path already gone is not an error.
    package static func unlink(_ path: String) throws(SystemError) {
        do {
            _ = try retrying("unlink(\(path))") { Glibc.unlink(path) }
        } catch {
            if error.code != ENOENT { throw error }
        }
    }

    /// Sets the permission bits of `path`.
    package static func chmod(_ path: String, mode: mode_t) throws(SystemError) {
        _ = try retrying("chmod(\(path))") { Glibc.chmod(path, mode) }
    }

    /// Gives `path` to group `gid`, keeping its owner.
    package static func chgrp(_ path: String, gid: UInt32) throws(SystemError) {
        _ = try retrying("chown(\(path), :\(gid))") { Glibc.chown(path, uid_t.max, gid) }
    }

    /// Makes directory `path` with `mode`; an existing one is left as it is.
    package static func makeDirectory(_ path: String, mode: mode_t) throws(SystemError) {
        do {
            _ = try retrying("mkdir(\(path))") { Glibc.mkdir(path, mode) }
        } catch {
            if error.code != EEXIST { throw error }
        }
    }

    /// The id of group `name`, or nil when the system has no such group.
    package static func groupID(named name: String) -> UInt32? {
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let result = getgrnam_r(name, &entry, &buffer, buffer.count, &found)
        guard result == 0, let found else { return nil }
        return found.pointee.gr_gid
    }

    /// Moves the calling thread to the ordinary scheduler with niceness `nice`, so busy service work
    /// (a flood of clients) yields to the control loop and to a technician's shell. Lowering one's
    /// own priority is always permitted; a refusal is returned, not fatal.
    package static func demoteCurrentThread(nice: CInt) throws(SystemError) {
        var parameters = sched_param(sched_priority: 0)
        let code = pthread_setschedparam(pthread_self(), SCHED_OTHER, &parameters)
        if code != 0 { throw SystemError(call: "pthread_setschedparam(SCHED_OTHER)", code: code) }
        // On Linux the nice value belongs to the thread, and `who` 0 names the calling thread.
        _ = try retrying("setpriority(\(nice))") {
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        }
    }
}

// The datagram-option and recvmsg calls of the upstream service, under the same rules.
extension Syscall {
    /// Sets an integer socket option.
    package static func setSocketOption(_ descriptor: CInt, level: CInt, name: CInt, value: CInt, _ what: String)
        throws(SystemError)
    {
        var value = value
        _ = try retrying("setsockopt(\(what))") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<CInt>.size))
        }
    }

    /// Receives one datagram with its ancillary data, never blocking (recvmsg(2) with MSG_DONTWAIT
    /// added to `flags`): its length (the full length with MSG_TRUNC), nil when none is waiting.
    package static func receiveMessage(_ descriptor: CInt, _ message: inout msghdr, flags: CInt) throws(SystemError) -> Int? {
        do {
            return try retrying("recvmsg") { recvmsg(descriptor, &message, flags | CInt(MSG_DONTWAIT)) }
        } catch {
            if error.code == EAGAIN || error.code == EWOULDBLOCK { return nil }
            throw error
        }
    }
}
