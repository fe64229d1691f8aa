import SignalCore

/// Why a neighbour datagram was not used. Every datagram a `NeighbourReceiver` refuses is
/// counted under exactly one of these, and none of them changes the forecast.
public enum NeighbourDropReason: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Not a well-formed frame, a type other than `neighbourOutflow`, or a payload that breaks
    /// its layout.
    case malformed
    /// The tag does not verify under the key of the junction it claims to come from: wrong key,
    /// forged or corrupted.
    case unauthenticated
    /// From a junction id that is not one of this junction's neighbours.
    case unknownSender
    /// Authentic, but addressed to another junction id.
    case notForMe
    /// A sequence number of this sender's boot already used (or too old to tell), or an older boot.
    case replayed
    /// Sent longer ago than `late_after` by the receiver's clock (or that far in its future).
    case late
    /// Sent before the newest profile already taken from this neighbour (reordered on the way).
    case superseded

    public var description: String {
        switch self {
        case .malformed: return "malformed"
        case .unauthenticated: return "unauthenticated"
        case .unknownSender: return "unknown_sender"
        case .notForMe: return "not_for_me"
        case .replayed: return "replayed"
        case .late: return "late"
        case .superseded: return "superseded"
        }
    }
}

/// What a `NeighbourReceiver` made of one datagram.
public enum NeighbourVerdict: Sendable, Equatable {
    /// A fresh, authentic profile from neighbour `neighbour` (index into
    /// `NeighbourSettings.neighbours`), `ageTenths` old by the sender's send time (at least 0).
    case accepted(neighbour: Int, profile: OutflowProfile, ageTenths: Tenths)
    /// Refused, and counted; `neighbour` is the claimed sender when the frame named a known one.
    case dropped(NeighbourDropReason, neighbour: Int?)
}
