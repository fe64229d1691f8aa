/// Appends big-endian integers to a byte array, for the encoders.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for one datagram reserved.
    public init(reservingCapacity capacity: Int = WireFormat.maximumDatagramBytes) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Bytes written so far.
    public var count: Int { bytes.count }

    /// Appends `value` in network byte order.
    public mutating func write<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    public mutating func write(bytes more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// Overwrites a big-endian `UInt16` at `offset` (a length field written before its contents).
    mutating func patch(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }
}
