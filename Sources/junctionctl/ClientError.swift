import Diagnostics

/// Why junctionctl could not do what was asked, with the message a technician needs.
enum ClientError: Error, CustomStringConvertible {
    /// No socket file where the daemon would put it.
    case socketMissing(searched: [String])
    /// The socket (or its directory) refused us; `group` is the group that would let us in.
    case permissionDenied(path: String, group: String?, access: DiagnosticRequest.Access)
    /// A demo runtime directory that another user could have tampered with; the reason names its owner and mode.
    case untrustedDirectory(String)
    /// A socket file nobody listens on: the daemon is gone.
    case notListening(path: String)
    /// Any other failure to talk to the daemon.
    case connection(path: String, reason: String)
    /// The daemon closed the connection before replying.
    case closed(path: String)
    /// No reply in time.
    case timeout(seconds: Int)
    /// A reply that is not the protocol.
    case protocolError(String)
    /// The daemon answered with an error.
    case daemon(code: String, message: String)

    var description: String {
        switch self {
        case .socketMissing(let searched):
            return "no junctiond diagnostic socket at \(searched.joined(separator: " or ")): is junctiond running? "
                + "Try `systemctl status junctiond` (or pass --runtime-directory / --socket)"
        case .permissionDenied(let path, let group, let access):
            let what = access == .control ? "control commands need" : "reading needs"
            let groupText = group.map { "membership of group \($0)" } ?? "the socket's group"
            return "permission denied on \(path): \(what) \(groupText) (or root); "
                + "ask an administrator to run `usermod -aG \(group ?? "GROUP") $USER`, then log in again"
        case .untrustedDirectory(let why):
            return why
        case .notListening(let path):
            return "nothing is listening on \(path): junctiond is not running. Try `systemctl status junctiond`"
        case .connection(let path, let reason):
            return "cannot talk to junctiond at \(path): \(reason)"
        case .closed(let path):
            return "junctiond closed the connection on \(path) without a reply"
        case .timeout(let seconds):
            return "no reply from junctiond within \(seconds) s; try `junctionctl status` or `systemctl status junctiond`"
        case .protocolError(let why):
            return why
        case .daemon(let code, let message):
            return "\(code): \(message)"
        }
    }

    /// The error's code for `--json` output.
    var code: String {
        switch self {
        case .socketMissing: return "socket-missing"
        case .permissionDenied: return "permission-denied"
        case .untrustedDirectory: return "untrusted-directory"
        case .notListening: return "not-listening"
        case .connection: return "connection"
        case .closed: return "closed"
        case .timeout: return "timeout"
        case .protocolError: return "protocol"
        case .daemon(let code, _): return code
        }
    }

    /// The exit status: 1 when the daemon said no, 3 when it could not be reached.
    var exitStatus: Int32 {
        if case .daemon = self { return 1 }
        return 3
    }
}
