/// Numbers, frames and authenticates the outgoing datagrams of one sender in one boot.
///
/// Each `seal` uses the next sequence number, so every datagram the sender makes is distinct
/// to the receiver's replay window.
public struct DatagramSealer: Sendable {
    public let junctionId: UInt32
    public let senderId: UInt32
    public let bootId: UInt64
    private let key: WireKey
    /// The sequence number of the last datagram sealed; 0 before the first.
    public private(set) var lastSequence: UInt64 = 0

    /// A sealer for `senderId` (0 for the junction itself) speaking about `junctionId`.
    public init(junctionId: UInt32, senderId: UInt32, bootId: UInt64, key: WireKey) {
        self.junctionId = junctionId
        self.senderId = senderId
        self.bootId = bootId
        self.key = key
    }

    /// The complete datagram for `message`, stamped with `timeMilliseconds` (Unix ms).
    /// The message must fit (`WireFormat.maximumPayloadBytes`); the encoders' limits guarantee it.
    public mutating func seal(_ message: WireMessage, timeMilliseconds: UInt64) -> [UInt8] {
        seal(type: message.type, timeMilliseconds: timeMilliseconds) { message.encode(into: &$0) }
    }

    /// A correctly framed and tagged datagram around any payload bytes (at most
    /// `WireFormat.maximumPayloadBytes`), for tests and tools that probe a receiver's payload checks.
    public mutating func seal(type: MessageType, payload: [UInt8], timeMilliseconds: UInt64) -> [UInt8] {
        seal(type: type, timeMilliseconds: timeMilliseconds) { $0.write(bytes: payload) }
    }

    private mutating func seal(
        type: MessageType, timeMilliseconds: UInt64, payload: (inout ByteWriter) -> Void
    ) -> [UInt8] {
        lastSequence += 1
        let header = WireHeader(
            type: type, junctionId: junctionId, senderId: senderId, bootId: bootId,
            sequence: lastSequence, timeMilliseconds: timeMilliseconds)
        var writer = ByteWriter()
        header.encode(into: &writer, payloadBytes: 0)
        payload(&writer)
        let payloadBytes = writer.count - WireFormat.headerBytes
        precondition(payloadBytes <= WireFormat.maximumPayloadBytes, "a \(type) payload of \(payloadBytes) bytes")
        writer.patch(UInt16(payloadBytes), at: WireFormat.headerBytes - 2)
        let tag = key.tag(of: writer.bytes[...])
        writer.write(bytes: tag)
        return writer.bytes
    }
}
