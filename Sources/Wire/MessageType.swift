/// The kinds of datagram, by their type byte.
public enum MessageType: UInt8, Sendable, CaseIterable {
    /// A status report, junction to central.
    case status = 1
    /// A batch of event-log records, junction to central.
    case events = 2
    /// A batch of count bins, junction to central.
    case counts = 3
    /// A request for status, events or counts, central to junction.
    case poll = 16
    /// Central's cumulative acknowledgement of records, central to junction.
    case ack = 17
    /// A junction's projected outflow toward one neighbour, junction to junction
    /// (`OutflowProfile`; docs/protocol.md, type 32). Not a `WireMessage`: only a neighbour
    /// receiver opens it.
    case neighbourOutflow = 32

    /// True for the types a junction sends (and central receives).
    public var travelsUpstream: Bool {
        switch self {
        case .status, .events, .counts: return true
        case .poll, .ack, .neighbourOutflow: return false
        }
    }
}
