/// The fixed numbers of the upstream datagram layout (docs/protocol.md, version 1).
public enum WireFormat {
    /// The two bytes every datagram starts with: "JT".
    public static let magic: UInt16 = 0x4A54
    /// The layout version this library speaks.
    public static let version: UInt8 = 1
    /// Bytes before the payload.
    public static let headerBytes = 38
    /// Bytes of the truncated HMAC-SHA256 tag after the payload.
    public static let tagBytes = 16
    /// The largest datagram sent or accepted, in bytes: never fragmented on any sane path.
    public static let maximumDatagramBytes = 1200
    /// The largest payload that fits in one datagram.
    public static let maximumPayloadBytes = maximumDatagramBytes - headerBytes - tagBytes
    /// The smallest datagram that can be well formed (empty payload).
    public static let minimumDatagramBytes = headerBytes + tagBytes
    /// The sender id a junction uses; centrals use 1 and above.
    public static let junctionSenderId: UInt32 = 0
}
