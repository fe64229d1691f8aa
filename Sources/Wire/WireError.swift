/// Why a datagram was refused. Each case is one drop reason, counted in `DropCounters`.
///
/// Nothing that fails any of these checks is ever answered.
public enum WireError: Error, Sendable, Equatable {
    /// Shorter than header and tag.
    case truncated
    /// Longer than `WireFormat.maximumDatagramBytes`.
    case oversized
    /// Not our magic bytes.
    case badMagic
    /// A layout version this library does not speak.
    case unsupportedVersion(UInt8)
    /// A type byte with no meaning.
    case unknownType(UInt8)
    /// The payload length field disagrees with the datagram's length.
    case lengthMismatch
    /// No key is known for this junction id.
    case unknownJunction(UInt32)
    /// The tag does not match: wrong key, forged or corrupted.
    case badTag
    /// The boot id is lower than one already seen from this sender: a replay of an old run.
    case staleBoot
    /// This sender's sequence number was already accepted: a replay or a duplicate.
    case duplicate
    /// The sequence number is too far behind the newest seen to be checked: treated as a replay.
    case outsideWindow
    /// The payload breaks its layout; `field` names where.
    case malformed(field: String)
    /// A type or sender id that does not travel towards this receiver.
    case unexpectedType
    /// The source address is not a configured peer (checked by the socket owner).
    case unknownPeer

    /// The counter this error is counted under.
    public var dropReason: DropReason {
        switch self {
        case .truncated: return .truncated
        case .oversized: return .oversized
        case .badMagic: return .badMagic
        case .unsupportedVersion: return .unsupportedVersion
        case .unknownType: return .unknownType
        case .lengthMismatch: return .lengthMismatch
        case .unknownJunction: return .unknownJunction
        case .badTag: return .badTag
        case .staleBoot: return .staleBoot
        case .duplicate: return .duplicate
        case .outsideWindow: return .outsideWindow
        case .malformed: return .malformed
        case .unexpectedType: return .unexpectedType
        case .unknownPeer: return .unknownPeer
        }
    }
}
