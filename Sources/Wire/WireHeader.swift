/// The 38-byte header every datagram starts with (docs/protocol.md).
public struct WireHeader: Sendable, Equatable {
    public var type: MessageType
    /// The junction concerned: the sender of upstream messages, the addressee of central's.
    public var junctionId: UInt32
    /// 0 for the junction; a central instance's own id (≥ 1) otherwise.
    public var senderId: UInt32
    /// One run of the sender; a later run always has a larger value.
    public var bootId: UInt64
    /// The sender's datagram number within the boot, from 1.
    public var sequence: UInt64
    /// The sender's wall clock when sending, in milliseconds since the Unix epoch (informative only).
    public var timeMilliseconds: UInt64

    /// A header with every field given.
    public init(
        type: MessageType, junctionId: UInt32, senderId: UInt32, bootId: UInt64, sequence: UInt64,
        timeMilliseconds: UInt64
    ) {
        self.type = type
        self.junctionId = junctionId
        self.senderId = senderId
        self.bootId = bootId
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
    }

    /// Throws `malformed` for a boot id or a sequence of 0: both count from 1 (docs/protocol.md),
    /// so a 0 was written by no sender of this protocol, and a receiver does not act on it. A boot
    /// id of 2^64 − 1 is refused too: no run could follow it, so its sender would never be heard
    /// again, and a receiver that forgot its window could not raise its floor past it (a captured
    /// datagram of that run would be taken a second time).
    public func checkNumbering() throws(WireError) {
        guard bootId > 0, bootId < UInt64.max else { throw .malformed(field: "boot_id") }
        guard sequence > 0 else { throw .malformed(field: "sequence") }
    }

    /// Writes the header with `payloadBytes` as its length field.
    func encode(into writer: inout ByteWriter, payloadBytes: Int) {
        writer.write(WireFormat.magic)
        writer.write(WireFormat.version)
        writer.write(type.rawValue)
        writer.write(junctionId)
        writer.write(senderId)
        writer.write(bootId)
        writer.write(sequence)
        writer.write(timeMilliseconds)
        writer.write(UInt16(payloadBytes))
    }
}
