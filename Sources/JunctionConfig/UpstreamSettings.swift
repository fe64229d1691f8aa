import SignalCore
import SystemInterface

/// How the junction reports to central and keeps its event log and counts (`[upstream]`);
/// see docs/protocol.md. Absent section: no reports, no store.
public struct UpstreamSettings: Sendable, Equatable {
    /// Where the per-junction key comes from.
    public enum KeySource: Sendable, Equatable {
        /// Hexadecimal text in the junction file (`key`).
        case hex(String)
        /// A file holding one line of hexadecimal text (`key_file`), read at startup.
        case file(String)
    }

    /// An IPv4 address and UDP port.
    public struct Address: Sendable, Equatable, CustomStringConvertible {
        /// The four octets, most significant first.
        public var octets: [UInt8]
        public var port: UInt16

        public init(octets: [UInt8], port: UInt16) {
            self.octets = octets
            self.port = port
        }

        /// Parses `a.b.c.d:port` or `localhost:port`; nil for anything else. The address as
        /// `inet_pton` reads it and the port in plain decimal: `010.0.0.1` (octal 8 to `inet_aton`
        /// and ping) and `+04790` are refused rather than read one way here and another elsewhere.
        public init?(parsing text: String) {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            let portText = text[text.index(after: colon)...]
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), portText == "0" || !portText.hasPrefix("0"),
                let port = UInt16(portText)
            else {
                return nil
            }
            let host = String(text[..<colon])
            if host == "localhost" {
                octets = [127, 0, 0, 1]
            } else {
                guard let address = Syscall.ipv4Address(host) else { return nil }
                octets = withUnsafeBytes(of: address.s_addr) { Array($0) }
            }
            self.port = port
        }

        public var description: String { octets.map(String.init).joined(separator: ".") + ":\(port)" }
    }

    /// This junction's id on the wire (1 or more), unique in the city.
    public var junctionId: UInt32
    public var key: KeySource
    /// Centrals to report to; records are forwarded to the first.
    public var centrals: [Address]
    /// The local address polls arrive at and reports leave from (port 0: any free port).
    public var listen: Address
    /// Status report period, in tenths (a report also goes at every stage or mode change).
    public var reportIntervalTenths: Tenths
    /// The store's file; nil for `junctiond.db` in the state directory.
    public var storePath: String?
    /// Length of a count bin, in seconds (default 15 minutes, as NTCIP planning counts).
    public var countPeriodSeconds: Int
    /// How often the store writer commits, in milliseconds: few, batched writes spare SD cards.
    public var commitIntervalMilliseconds: Int
    /// Records older than this many days are removed.
    public var retentionDays: Int
    /// The store's size limit in MiB; the oldest events go first beyond it.
    public var maximumStoreMegabytes: Int
    /// Datagrams of records pushed after each status report.
    public var burst: Int

    public init(
        junctionId: UInt32, key: KeySource, centrals: [Address],
        listen: Address = Address(octets: [0, 0, 0, 0], port: 0), reportIntervalTenths: Tenths = 10,
        storePath: String? = nil, countPeriodSeconds: Int = 900, commitIntervalMilliseconds: Int = 5000,
        retentionDays: Int = 30, maximumStoreMegabytes: Int = 256, burst: Int = 16
    ) {
        self.junctionId = junctionId
        self.key = key
        self.centrals = centrals
        self.listen = listen
        self.reportIntervalTenths = reportIntervalTenths
        self.storePath = storePath
        self.countPeriodSeconds = countPeriodSeconds
        self.commitIntervalMilliseconds = commitIntervalMilliseconds
        self.retentionDays = retentionDays
        self.maximumStoreMegabytes = maximumStoreMegabytes
        self.burst = burst
    }
}
