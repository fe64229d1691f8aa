import Crypto

/// The config hash a status report carries: the first 8 bytes of SHA-256 of the junction file.
public enum ConfigDigest {
    /// The hash of `bytes`, big-endian.
    public static func hash(of bytes: [UInt8]) -> UInt64 {
        SHA256.hash(data: bytes).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
