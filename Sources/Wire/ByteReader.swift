/// Reads big-endian integers from a byte slice, never past its end.
///
/// Every read is bounds-checked and throws `WireError.malformed` naming the field when the bytes
/// run out, so no length field in a datagram can make a decoder read out of bounds.
public struct ByteReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    /// A reader over `bytes`, starting at their first byte.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    /// A reader over all of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.endIndex - position }

    /// Reads one big-endian integer; `field` names it in the error when the bytes run out.
    public mutating func read<Value: FixedWidthInteger & UnsignedInteger>(
        _ type: Value.Type = Value.self, _ field: String
    ) throws(WireError) -> Value {
        let size = MemoryLayout<Value>.size
        guard remaining >= size else { throw .malformed(field: field) }
        var value: Value = 0
        for index in position..<(position + size) {
            value = value << 8 | Value(bytes[index])
        }
        position += size
        return value
    }

    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int, _ field: String) throws(WireError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw .malformed(field: field) }
        let slice = bytes[position..<(position + count)]
        position += count
        return slice
    }

    /// Throws unless every byte was read: a payload with bytes left over is malformed.
    public func expectEnd(_ what: String) throws(WireError) {
        guard remaining == 0 else { throw .malformed(field: "\(what): \(remaining) bytes left over") }
    }
}
