/// One entry of the high-resolution event log: the one definition of an event record, kept by the junction's
/// store, carried upstream (docs/protocol.md, type 2) and kept by central.
public struct EventRecord: WireRecord {
    /// The junction store's event number: never reused, one more per event (0 until the store assigns it).
    public var recordNumber: UInt64
    /// When the controller emitted it, in Unix milliseconds (to the controller's tenth).
    public var timeMilliseconds: UInt64
    /// Indiana / Purdue event code (`SignalCore.EventCode` raw values; others may come in later versions).
    public var code: UInt16
    /// 1-based group or detector number, or the flash reason.
    public var parameter: UInt16

    public init(recordNumber: UInt64 = 0, timeMilliseconds: UInt64, code: UInt16, parameter: UInt16) {
        self.recordNumber = recordNumber
        self.timeMilliseconds = timeMilliseconds
        self.code = code
        self.parameter = parameter
    }

    public static var messageType: MessageType { .events }
    public static var encodedBytes: Int { 20 }

    public func encode(into writer: inout ByteWriter) {
        writer.write(recordNumber)
        writer.write(timeMilliseconds)
        writer.write(code)
        writer.write(parameter)
    }

    public static func decode(from reader: inout ByteReader) throws(WireError) -> EventRecord {
        let number = try reader.read(UInt64.self, "event.record")
        guard number > 0 else { throw .malformed(field: "event.record") }
        return EventRecord(
            recordNumber: number,
            timeMilliseconds: try reader.read(UInt64.self, "event.time"),
            code: try reader.read(UInt16.self, "event.code"),
            parameter: try reader.read(UInt16.self, "event.parameter"))
    }
}
