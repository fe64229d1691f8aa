import SystemInterface

/// The NTCIP 1202 subagent (`[snmp]`, docs/snmp.md): whether it runs, where snmpd's AgentX
/// master socket is, and how long snmpd should wait for its answers. Absent section: no subagent.
public struct SNMPSettings: Sendable, Equatable {
    /// Where the AgentX master agent listens.
    public enum Endpoint: Sendable, Equatable, CustomStringConvertible {
        /// A unix stream socket path (snmpd's default is `/var/agentx/master`).
        case unix(String)
        /// A TCP address, written `tcp:host:port` (snmpd's `agentXSocket tcp:127.0.0.1:705`); the host is
        /// an IPv4 address or `localhost`.
        case tcp(host: String, port: UInt16)

        /// Parses `/path`, `unix:/path` or `tcp:host:port`; nil for anything else.
        public init?(parsing text: String) {
            if text.hasPrefix("tcp:") {
                let rest = text.dropFirst(4)
                guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]),
                    port != 0
                else { return nil }
                let host = String(rest[..<colon])
                // The subagent connects to an address (no name lookup at start): what it cannot
                // reach is refused with the file, not when the daemon starts.
                guard host == "localhost" || Syscall.ipv4Address(host) != nil else { return nil }
                self = .tcp(host: host, port: port)
                return
            }
            let path = text.hasPrefix("unix:") ? String(text.dropFirst(5)) : text
            // sockaddr_un holds 107 bytes and a terminating NUL.
            guard path.hasPrefix("/"), path.utf8.count <= 107 else { return nil }
            self = .unix(path)
        }

        /// The endpoint as the junction file writes it.
        public var description: String {
            switch self {
            case .unix(let path): return path
            case .tcp(let host, let port): return "tcp:\(host):\(port)"
            }
        }
    }

    /// False keeps the section in the file but runs no subagent.
    public var enabled: Bool
    /// Where snmpd's AgentX master socket is (`agentx`).
    public var agentX: Endpoint
    /// How long snmpd waits for one answer, and how long the subagent waits for snmpd's answers to
    /// Open and Register, in milliseconds (AgentX carries whole seconds, rounded up).
    public var timeoutMilliseconds: Int
    /// The NTCIP volume/occupancy collection period, in seconds (1–255).
    public var volumePeriodSeconds: Int

    public init(
        enabled: Bool = true, agentX: Endpoint = .unix("/var/agentx/master"), timeoutMilliseconds: Int = 1000,
        volumePeriodSeconds: Int = 60
    ) {
        self.enabled = enabled
        self.agentX = agentX
        self.timeoutMilliseconds = timeoutMilliseconds
        self.volumePeriodSeconds = volumePeriodSeconds
    }

    /// The range `timeout_ms` may take: AgentX timeouts are 1–255 s.
    public static let timeoutRange = 100...255_000
    /// The range `volume_period` may take (the MIB's `volumeOccupancyPeriod`).
    public static let volumePeriodRange = 1...255
}
