/// A fixed-size record that travels in a `RecordBatch`: an event or a count bin.
public protocol WireRecord: Sendable, Equatable {
    /// The store's number of this record: never reused, ascending.
    var recordNumber: UInt64 { get }
    /// The message type whose payload carries a batch of these records.
    static var messageType: MessageType { get }
    /// Bytes of one encoded record.
    static var encodedBytes: Int { get }
    /// Appends the record.
    func encode(into writer: inout ByteWriter)
    /// Reads one record, checking every field's range.
    static func decode(from reader: inout ByteReader) throws(WireError) -> Self
}
