/// Appends AgentX fields in network byte order: the subagent always sets NETWORK_BYTE_ORDER, so
/// it never needs the other order when encoding.
public struct PDUWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// One byte.
    public mutating func append(_ value: UInt8) { bytes.append(value) }

    /// A 16-bit integer, big-endian.
    public mutating func append(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// A 32-bit integer, big-endian.
    public mutating func append(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    /// A 64-bit integer, big-endian.
    public mutating func append(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// An OID (RFC 2741 §5.1), using the `1.3.6.1.x` prefix form whenever it applies.
    public mutating func append(_ oid: OID) {
        var subidentifiers = oid.subidentifiers[...]
        var prefix: UInt8 = 0
        if subidentifiers.count >= 5, subidentifiers.starts(with: [1, 3, 6, 1]), (1...255).contains(subidentifiers[4]) {
            prefix = UInt8(subidentifiers[4])
            subidentifiers = subidentifiers.dropFirst(5)
        }
        append(UInt8(subidentifiers.count))
        append(prefix)
        append(UInt8(oid.include ? 1 : 0))
        append(UInt8(0))
        for subidentifier in subidentifiers { append(subidentifier) }
    }

    /// An octet string (RFC 2741 §5.3): its length, its bytes, and zero padding to a multiple of 4.
    public mutating func appendOctetString(_ string: [UInt8]) {
        append(UInt32(string.count))
        bytes.append(contentsOf: string)
        let padding = (4 - string.count % 4) % 4
        bytes.append(contentsOf: repeatElement(0, count: padding))
    }

    /// A variable binding (RFC 2741 §5.4).
    public mutating func append(_ varBind: VarBind) {
        append(varBind.value.typeTag)
        append(UInt16(0))
        append(varBind.name)
        switch varBind.value {
        case .integer(let value): append(UInt32(bitPattern: value))
        case .counter32(let value), .gauge32(let value), .timeTicks(let value): append(value)
        case .counter64(let value): append(value)
        case .octetString(let value), .ipAddress(let value), .opaque(let value): appendOctetString(value)
        case .objectIdentifier(let value): append(value)
        case .null, .noSuchObject, .noSuchInstance, .endOfMibView: break
        }
    }
}
