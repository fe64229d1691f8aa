import Crypto

/// A junction's shared secret, 16 to 64 bytes, that authenticates its datagrams both ways.
///
/// `@unchecked Sendable` because swift-crypto's `SymmetricKey` is not marked so, though it is an
/// immutable value once made: nothing here mutates it after `init`.
public struct WireKey: @unchecked Sendable {
    /// Why a key was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not hexadecimal digits in pairs.
        case notHex
        /// Fewer than 16 or more than 64 bytes.
        case wrongLength(Int)

        public var description: String {
            switch self {
            case .notHex: return "the key must be hexadecimal digits, two per byte"
            case .wrongLength(let count): return "the key has \(count) bytes; 16 to 64 are allowed (32 recommended)"
            }
        }
    }

    /// The allowed key lengths, in bytes.
    public static let allowedBytes = 16...64

    let symmetric: SymmetricKey

    /// A key from its raw bytes.
    public init(bytes: [UInt8]) throws(Problem) {
        guard Self.allowedBytes.contains(bytes.count) else { throw .wrongLength(bytes.count) }
        symmetric = SymmetricKey(data: bytes)
    }

    /// A key from hexadecimal text (surrounding white space ignored).
    public init(hex: String) throws(Problem) {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex.utf8 where !Self.isSpace(character) {
            guard let nibble = Self.nibble(character) else { throw .notHex }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { throw .notHex }
        try self.init(bytes: bytes)
    }

    /// The 16-byte tag of `bytes`: HMAC-SHA256 truncated (RFC 2104 §5).
    func tag(of bytes: ArraySlice<UInt8>) -> [UInt8] {
        let code = bytes.withUnsafeBytes { HMAC<SHA256>.authenticationCode(for: $0, using: symmetric) }
        return Array(code.prefix(WireFormat.tagBytes))
    }

    /// True when `tag` is the tag of `bytes`; compares in time independent of where they differ.
    func verify(_ tag: ArraySlice<UInt8>, of bytes: ArraySlice<UInt8>) -> Bool {
        let expected = self.tag(of: bytes)
        guard tag.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(tag, expected) { difference |= left ^ right }
        return difference == 0
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
