import SystemInterface
/// Why the AgentX connection to snmpd failed or ended.
enum SNMPConnectionError: Error, CustomStringConvertible {
    /// A system call failed (ENOENT or ECONNREFUSED while snmpd is absent, EPIPE when it died).
    case system(SystemError)
    /// snmpd closed the connection (end of stream).
    case closedByPeer
    /// snmpd did not take a PDU, or did not accept the connection, within the timeout.
    case timedOut(String)
    /// The endpoint's host is not an IPv4 address or `localhost`.
    case unsupportedHost(String)

    var description: String {
        switch self {
        case .system(let error): return "\(error)"
        case .closedByPeer: return "snmpd closed the connection"
        case .timedOut(let what): return "\(what) timed out"
        case .unsupportedHost(let host): return "tcp host \(host) is not an IPv4 address or localhost"
        }
    }
}
