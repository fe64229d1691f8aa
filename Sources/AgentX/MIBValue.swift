/// The value of one variable binding, with the SMIv2 type AgentX tags it with (RFC 2741 §5.4).
public enum MIBValue: Sendable, Equatable {
    case integer(Int32)
    case octetString([UInt8])
    case null
    case objectIdentifier(OID)
    /// Four octets, most significant first.
    case ipAddress([UInt8])
    case counter32(UInt32)
    case gauge32(UInt32)
    /// Hundredths of a second.
    case timeTicks(UInt32)
    case opaque([UInt8])
    case counter64(UInt64)
    /// The exceptions a Get or GetNext answers with instead of a value.
    case noSuchObject
    case noSuchInstance
    case endOfMibView

    /// A UTF-8 string as an OCTET STRING (DisplayString).
    public static func text(_ string: String) -> MIBValue { .octetString(Array(string.utf8)) }

    /// The AgentX type tag (RFC 2741 §5.4).
    public var typeTag: UInt16 {
        switch self {
        case .integer: return 2
        case .octetString: return 4
        case .null: return 5
        case .objectIdentifier: return 6
        case .ipAddress: return 64
        case .counter32: return 65
        case .gauge32: return 66
        case .timeTicks: return 67
        case .opaque: return 68
        case .counter64: return 70
        case .noSuchObject: return 128
        case .noSuchInstance: return 129
        case .endOfMibView: return 130
        }
    }
}
