/// The reasons a received datagram is dropped, as counted and reported in status.
public enum DropReason: Int, Sendable, CaseIterable {
    case truncated
    case oversized
    case badMagic
    case unsupportedVersion
    case unknownType
    case lengthMismatch
    case unknownJunction
    case badTag
    case staleBoot
    case duplicate
    case outsideWindow
    case malformed
    case unexpectedType
    case unknownPeer

    /// The status counter this reason is reported under.
    public var counter: StatusCounter {
        switch self {
        case .truncated: return .dropTruncated
        case .oversized: return .dropOversized
        case .badMagic: return .dropBadMagic
        case .unsupportedVersion: return .dropUnsupportedVersion
        case .unknownType: return .dropUnknownType
        case .lengthMismatch: return .dropLengthMismatch
        case .unknownJunction: return .dropUnknownJunction
        case .badTag: return .dropBadTag
        case .staleBoot: return .dropStaleBoot
        case .duplicate: return .dropDuplicate
        case .outsideWindow: return .dropOutsideWindow
        case .malformed: return .dropMalformed
        case .unexpectedType: return .dropUnexpectedType
        case .unknownPeer: return .dropUnknownPeer
        }
    }
}
