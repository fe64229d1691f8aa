/// The one decoder of datagram frames: checks size, header, length and tag, in the order of
/// docs/protocol.md, and decodes the payload with its type's decoder. No replay check: that
/// needs state (`ReplayWindow`, `WireReceiver`).
public enum DatagramOpener {
    /// A frame whose tag is good; its payload not yet decoded.
    public struct Authenticated: Sendable {
        public var header: WireHeader
        public var payload: ArraySlice<UInt8>

        /// Checks the header's numbering and decodes the payload with its type's one decoder.
        public func decode() throws(WireError) -> Datagram {
            try header.checkNumbering()
            var reader = ByteReader(payload)
            return Datagram(header: header, message: try WireMessage.decode(header.type, from: &reader))
        }
    }

    /// Checks the frame of `bytes` and its tag under the key `key(junctionId)` returns.
    public static func authenticate(
        _ bytes: ArraySlice<UInt8>, key: (UInt32) -> WireKey?
    ) throws(WireError) -> Authenticated {
        guard bytes.count >= WireFormat.minimumDatagramBytes else { throw .truncated }
        guard bytes.count <= WireFormat.maximumDatagramBytes else { throw .oversized }
        var reader = ByteReader(bytes)
        guard try reader.read(UInt16.self, "magic") == WireFormat.magic else { throw .badMagic }
        let version = try reader.read(UInt8.self, "version")
        guard version == WireFormat.version else { throw .unsupportedVersion(version) }
        let typeByte = try reader.read(UInt8.self, "type")
        guard let type = MessageType(rawValue: typeByte) else { throw .unknownType(typeByte) }
        let junctionId = try reader.read(UInt32.self, "junction_id")
        let senderId = try reader.read(UInt32.self, "sender_id")
        let bootId = try reader.read(UInt64.self, "boot_id")
        let sequence = try reader.read(UInt64.self, "sequence")
        let time = try reader.read(UInt64.self, "time")
        let payloadBytes = Int(try reader.read(UInt16.self, "payload_length"))
        guard WireFormat.headerBytes + payloadBytes + WireFormat.tagBytes == bytes.count else {
            throw .lengthMismatch
        }
        guard let secret = key(junctionId) else { throw .unknownJunction(junctionId) }
        let tagStart = bytes.endIndex - WireFormat.tagBytes
        guard secret.verify(bytes[tagStart...], of: bytes[bytes.startIndex..<tagStart]) else { throw .badTag }
        let payloadStart = bytes.startIndex + WireFormat.headerBytes
        return Authenticated(
            header: WireHeader(
                type: type, junctionId: junctionId, senderId: senderId, bootId: bootId, sequence: sequence,
                timeMilliseconds: time),
            payload: bytes[payloadStart..<tagStart])
    }

    /// Authenticates and decodes `bytes` (no replay check).
    public static func open(_ bytes: ArraySlice<UInt8>, key: (UInt32) -> WireKey?) throws(WireError) -> Datagram {
        try authenticate(bytes, key: key).decode()
    }
}
