import Diagnostics
import JunctionConfig

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
            // A socket in group root (or one we cannot stat) means the daemon found no group of the
            // configured name, as in a demo run as root: naming root would tell people to make
            // themselves root, so name the group the package creates for this access instead.
            let defaults = DiagnosticsSettings()
            let named = group.flatMap { $0 == "root" ? nil : $0 }
            let needed = named ?? (access == .control ? defaults.adminGroup : defaults.readGroup)
            let hint = "permission denied on \(path): \(what) membership of group \(needed) (or root); "
                + "ask an administrator to run `usermod -aG \(needed) $USER`, then log in again"
            if named != nil { return hint }
            return hint + ". If group \(needed) does not exist, install the junctiond package (its sysusers file "
                + "makes it) or run `systemd-sysusers`, then restart junctiond"
        case .untrustedDirectory(let why):
            return why
        case .notListening(let path):
            return "nothing is listening on \(path): junctiond is not running. Try `systemctl status junctiond`"
        case .connection(let path, let reason):
            return "cannot talk to junctiond at \(path): \(reason)"
        case .closed(let path):
            return "junctiond closed the connection on \(path) without a reply"
        case .timeout(let seconds):
            return "no reply from junctiond within \(seconds) s: it may be stalled or overloaded; `systemctl status junctiond` and `journalctl -u junctiond` say more"
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
