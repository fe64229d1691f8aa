/// Reads AgentX fields in the byte order the PDU's header announced, with a bounds check before
/// every read: running past the end throws `AgentXDecodeError.truncated`, never traps.
public struct PDUReader: Sendable {
    private let bytes: [UInt8]
    private var offset: Int
    private let bigEndian: Bool

    /// A reader over `bytes`; `bigEndian` follows the header's NETWORK_BYTE_ORDER flag.
    public init(_ bytes: [UInt8], bigEndian: Bool) {
        self.bytes = bytes
        offset = 0
        self.bigEndian = bigEndian
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// True when every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ count: Int) throws(AgentXDecodeError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .truncated(needed: count - remaining) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func unsigned(_ width: Int) throws(AgentXDecodeError) -> UInt64 {
        let slice = try take(width)
        let ordered = bigEndian ? Array(slice) : slice.reversed()
        return ordered.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// One byte.
    public mutating func byte() throws(AgentXDecodeError) -> UInt8 { try take(1).first! }

    /// A 16-bit integer in the header's byte order.
    public mutating func uint16() throws(AgentXDecodeError) -> UInt16 { UInt16(try unsigned(2)) }

    /// A 32-bit integer in the header's byte order.
    public mutating func uint32() throws(AgentXDecodeError) -> UInt32 { UInt32(try unsigned(4)) }

    /// A 64-bit integer (Counter64) in the header's byte order.
    public mutating func uint64() throws(AgentXDecodeError) -> UInt64 { try unsigned(8) }

    /// Skips `count` reserved bytes.
    public mutating func skip(_ count: Int) throws(AgentXDecodeError) { _ = try take(count) }

    /// An OID (RFC 2741 §5.1), expanding the `1.3.6.1.x` prefix form.
    public mutating func oid() throws(AgentXDecodeError) -> OID {
        let count = Int(try byte())
        let prefix = try byte()
        let include = try byte()
        try skip(1)
        let total = count + (prefix == 0 ? 0 : 5)
        guard total <= OID.maximumLength else { throw .oidTooLong(total) }
        guard include <= 1 else { throw .invalidField("include \(include)") }
        // Checked before allocating, so a hostile count cannot make the reader reserve memory.
        guard count * 4 <= remaining else { throw .truncated(needed: count * 4 - remaining) }
        var subidentifiers: [UInt32] = prefix == 0 ? [] : [1, 3, 6, 1, UInt32(prefix)]
        subidentifiers.reserveCapacity(total)
        for _ in 0..<count { subidentifiers.append(try uint32()) }
        return OID(subidentifiers, include: include == 1)
    }

    /// An octet string (RFC 2741 §5.3), skipping its padding.
    public mutating func octetString() throws(AgentXDecodeError) -> [UInt8] {
        let length = Int(try uint32())
        guard length <= remaining else { throw .truncated(needed: length - remaining) }
        let value = Array(try take(length))
        try skip((4 - length % 4) % 4)
        return value
    }

    /// A variable binding (RFC 2741 §5.4).
    public mutating func varBind() throws(AgentXDecodeError) -> VarBind {
        let tag = try uint16()
        try skip(2)
        let name = try oid()
        let value: MIBValue
        switch tag {
        case 2: value = .integer(Int32(bitPattern: try uint32()))
        case 4: value = .octetString(try octetString())
        case 5: value = .null
        case 6: value = .objectIdentifier(try oid())
        case 64: value = .ipAddress(try octetString())
        case 65: value = .counter32(try uint32())
        case 66: value = .gauge32(try uint32())
        case 67: value = .timeTicks(try uint32())
        case 68: value = .opaque(try octetString())
        case 70: value = .counter64(try uint64())
        case 128: value = .noSuchObject
        case 129: value = .noSuchInstance
        case 130: value = .endOfMibView
        default: throw .unknownValueType(tag)
        }
        return VarBind(name: name, value: value)
    }
}
