import Diagnostics
import Glibc
import SystemInterface

/// One listening socket of the diagnostic server, bound in the runtime directory with its own
/// file mode and group, like linuxptp's read-only and read-write management sockets.
struct DiagnosticListener {
    let descriptor: CInt
    let path: String
    let socket: AccessPolicy.Socket

    /// Why a listener could not be opened, in words for the log.
    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    /// Binds `path` (mode 0660, group `gid` when given) and listens on it.
    ///
    /// A leftover socket file from a daemon that died is replaced; a file that answers a connect
    /// belongs to a live daemon and is left alone, and so is anything that is not a socket.
    static func open(path: String, socket: AccessPolicy.Socket, gid: UInt32?, backlog: CInt) throws(OpenError)
        -> (listener: DiagnosticListener, warning: String?)
    {
        let address: UnixSocketAddress
        do {
            // A relative `--runtime-directory` means what it says: the sockets go there, from the
            // daemon's working directory (it never changes it), as junctionctl's `--socket` does.
            address = try UnixSocketAddress(path: path)
        } catch {
            throw OpenError(description: "socket path \(path) is not usable: \(error)")
        }
        try removeStale(path, address: address)
        do throws(SystemError) {
            let descriptor = try Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_STREAM.rawValue))
            do throws(SystemError) {
                try Syscall.bind(descriptor, to: address)
                // Group members must be able to connect (write permission); nobody else may.
                try Syscall.chmod(path, mode: 0o660)
                var warning: String?
                if let gid {
                    do {
                        try Syscall.chgrp(path, gid: gid)
                    } catch {
                        warning = "cannot give \(path) to group \(gid) (\(error)); only root and the daemon's user can connect"
                    }
                }
                try Syscall.setNonBlocking(descriptor)
                try Syscall.listen(descriptor, backlog: backlog)
                return (DiagnosticListener(descriptor: descriptor, path: path, socket: socket), warning)
            } catch {
                Syscall.close(descriptor)
                throw error
            }
        } catch {
            throw OpenError(description: "cannot listen on \(path): \(error)")
        }
    }

    /// Closes the socket and removes its file.
    func close() {
        Syscall.close(descriptor)
        try? Syscall.unlink(path)
    }

    private static func removeStale(_ path: String, address: UnixSocketAddress) throws(OpenError) {
        let status: stat?
        do {
            status = try Syscall.lstat(path)
        } catch {
            throw OpenError(description: "cannot inspect \(path): \(error)")
        }
        guard let status else { return }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw OpenError(description: "\(path) exists and is not a socket; remove it or choose another runtime directory")
        }
        do throws(SystemError) {
            let probe = try Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_STREAM.rawValue))
            defer { Syscall.close(probe) }
            do throws(SystemError) {
                try Syscall.connect(probe, to: address)
            } catch {
                // Nobody answers: the file is left over from a daemon that is gone.
                try Syscall.unlink(path)
                return
            }
        } catch {
            throw OpenError(description: "cannot replace \(path): \(error)")
        }
        throw OpenError(description: "another junctiond is serving \(path); stop it or choose another runtime directory")
    }
}
