import Crypto

/// A junction's shared secret, 16 to 64 bytes, that authenticates its datagrams both ways.
///
/// `@unchecked Sendable` because swift-crypto's `SHA256` is not marked so, though the two states kept here are
/// immutable values once made: tags are computed on copies, and nothing mutates them after `init`.
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

    /// The allowed key lengths, in bytes: never longer than one SHA-256 block, so RFC 2104 pads a key with zeros
    /// and never hashes it first.
    public static let allowedBytes = 16...64

    /// SHA-256 after absorbing the key XOR the inner pad, and after the key XOR the outer pad (RFC 2104 §2).
    /// Every tag continues copies of these two states instead of setting up an HMAC from the key again, which saves
    /// two block compressions, the pad arrays and swift-crypto's generic HMAC set-up per datagram: central checks a
    /// tag for every datagram it receives, and this was its largest cost.
    private let innerStart: SHA256
    private let outerStart: SHA256

    /// A key from its raw bytes.
    public init(bytes: [UInt8]) throws(Problem) {
        guard Self.allowedBytes.contains(bytes.count) else { throw .wrongLength(bytes.count) }
        let block = bytes + Array(repeating: 0, count: SHA256.blockByteCount - bytes.count)
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        innerStart = inner
        outerStart = outer
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

    /// HMAC-SHA256 of `bytes` under this key, untruncated.
    private func code(of bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var inner = innerStart
        inner.update(bufferPointer: bytes)
        let innerDigest = inner.finalize()
        var outer = outerStart
        innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }

    /// The 16-byte tag of `bytes`: HMAC-SHA256 truncated (RFC 2104 §5).
    func tag(of bytes: ArraySlice<UInt8>) -> [UInt8] {
        let code = bytes.withUnsafeBytes { self.code(of: $0) }
        return code.withUnsafeBytes { Array($0.prefix(WireFormat.tagBytes)) }
    }

    /// True when `tag` is the tag of `bytes`; compares in time independent of where they differ.
    func verify(_ tag: ArraySlice<UInt8>, of bytes: ArraySlice<UInt8>) -> Bool {
        guard tag.count == WireFormat.tagBytes else { return false }
        let code = bytes.withUnsafeBytes { self.code(of: $0) }
        return code.withUnsafeBytes { expected in
            tag.withUnsafeBytes { received in
                var difference: UInt8 = 0
                for index in 0..<WireFormat.tagBytes { difference |= expected[index] ^ received[index] }
                return difference == 0
            }
        }
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
