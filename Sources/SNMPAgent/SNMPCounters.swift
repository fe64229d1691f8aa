import Diagnostics

/// What the NTCIP subagent has done since the daemon started, for status and logs. Counts only grow.
public struct SNMPCounters: Sendable, Equatable {
    /// Connections to snmpd's AgentX socket that succeeded.
    public var connects: UInt64 = 0
    /// Connections after the first (snmpd restarted or the session was dropped).
    public var reconnects: UInt64 = 0
    /// Connection attempts that failed (snmpd absent, socket missing, permission refused).
    public var connectFailures: UInt64 = 0
    /// Sessions whose Open and every Register snmpd accepted.
    public var sessionsRegistered: UInt64 = 0
    /// Get, GetNext and GetBulk PDUs answered.
    public var requests: UInt64 = 0
    /// TestSet PDUs refused (the view is read-only).
    public var writesRefused: UInt64 = 0
    /// PDUs that did not decode, or a stream that could not be framed.
    public var malformedPDUs: UInt64 = 0
    /// PDUs naming a session other than the open one (refused `notOpen`, or ignored).
    public var otherSessionPDUs: UInt64 = 0
    /// Sessions that ended by snmpd closing, a Close PDU, a refusal or a timeout.
    public var disconnects: UInt64 = 0
    /// True while a session is registered and answering.
    public var registered = false

    /// All counts zero, not registered.
    public init() {}

    /// The counts as a status report's side service.
    public var serviceReport: StatusReport.Service {
        StatusReport.Service(
            name: "snmp", state: registered ? "registered" : "connecting",
            counters: [
                "connects": connects, "reconnects": reconnects, "connect_failures": connectFailures,
                "sessions_registered": sessionsRegistered, "requests": requests, "writes_refused": writesRefused,
                "malformed_pdus": malformedPDUs, "other_session_pdus": otherSessionPDUs, "disconnects": disconnects,
            ])
    }

    /// One line for logs.
    public var summary: String {
        "connects \(connects) (reconnects \(reconnects), failures \(connectFailures)), "
            + "registered \(sessionsRegistered), requests \(requests), writes refused \(writesRefused), "
            + "malformed \(malformedPDUs), other session \(otherSessionPDUs), disconnects \(disconnects)"
    }
}
