/// Why a session is closed (RFC 2741 §6.2.2).
public enum AgentXCloseReason: UInt8, Sendable, CaseIterable {
    case other = 1
    case parseError = 2
    case protocolError = 3
    case timeouts = 4
    case shutdown = 5
    case byManager = 6
}
