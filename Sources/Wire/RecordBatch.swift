/// Records of one kind in one datagram: pushed by store-and-forward, or one part of a poll's answer
/// (docs/protocol.md, types 2 and 3).
public struct RecordBatch<Record: WireRecord>: Sendable, Equatable {
    /// Bytes before the records.
    public static var prefixBytes: Int { 24 }
    /// The most records one datagram holds (56 events, 35 count bins).
    public static var maximumRecords: Int { (WireFormat.maximumPayloadBytes - prefixBytes) / Record.encodedBytes }

    /// 0 for a pushed batch, else the poll's request id.
    public var requestId: UInt32
    /// 0-based index of this datagram within the answer.
    public var part: UInt8
    /// Datagrams in the answer (1 for a pushed batch).
    public var parts: UInt8
    /// More records exist after this answer: poll again from the last one.
    public var moreAvailable: Bool
    /// The oldest record number the junction's store still holds.
    public var firstAvailable: UInt64
    /// The newest record number committed.
    public var storedThrough: UInt64
    /// At most `maximumRecords`, in ascending record order.
    public var records: [Record]

    public init(
        requestId: UInt32 = 0, part: UInt8 = 0, parts: UInt8 = 1, moreAvailable: Bool = false,
        firstAvailable: UInt64, storedThrough: UInt64, records: [Record]
    ) {
        self.requestId = requestId
        self.part = part
        self.parts = parts
        self.moreAvailable = moreAvailable
        self.firstAvailable = firstAvailable
        self.storedThrough = storedThrough
        self.records = records
    }

    /// Appends the payload; `records` must hold at most `maximumRecords`.
    public func encode(into writer: inout ByteWriter) {
        precondition(records.count <= Self.maximumRecords, "at most \(Self.maximumRecords) records per datagram")
        writer.write(requestId)
        writer.write(part)
        writer.write(parts)
        writer.write(UInt8(moreAvailable ? 1 : 0))
        writer.write(firstAvailable)
        writer.write(storedThrough)
        writer.write(UInt8(records.count))
        for record in records { record.encode(into: &writer) }
    }

    /// Reads a whole payload: parts consistent, `firstAvailable <= storedThrough + 1`, `storedThrough` below
    /// `UInt64.max`, records at most `storedThrough` and ascending, nothing left over.
    public static func decode(from reader: inout ByteReader) throws(WireError) -> RecordBatch {
        let requestId = try reader.read(UInt32.self, "batch.request_id")
        let part = try reader.read(UInt8.self, "batch.part")
        let parts = try reader.read(UInt8.self, "batch.parts")
        guard parts >= 1, part < parts else { throw .malformed(field: "batch.part") }
        let flags = try reader.read(UInt8.self, "batch.flags")
        guard flags & ~1 == 0 else { throw .malformed(field: "batch.flags") }
        let firstAvailable = try reader.read(UInt64.self, "batch.first_available")
        let storedThrough = try reader.read(UInt64.self, "batch.stored_through")
        // A store numbers from 1 and cannot retire a record it never stored; a mark at UInt64.max could never be
        // passed. Either is a broken or hostile sender, and a receiver's marks would overflow on it.
        guard storedThrough < UInt64.max else { throw .malformed(field: "batch.stored_through") }
        guard firstAvailable <= storedThrough + 1 else { throw .malformed(field: "batch.first_available") }
        let count = Int(try reader.read(UInt8.self, "batch.count"))
        guard count <= maximumRecords, reader.remaining == count * Record.encodedBytes else {
            throw .malformed(field: "batch.count")
        }
        var records: [Record] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            let record = try Record.decode(from: &reader)
            guard record.recordNumber <= storedThrough else { throw .malformed(field: "batch.record_beyond_stored") }
            if let last = records.last, record.recordNumber <= last.recordNumber {
                throw .malformed(field: "batch.record_order")
            }
            records.append(record)
        }
        try reader.expectEnd("batch")
        return RecordBatch(
            requestId: requestId, part: part, parts: parts, moreAvailable: flags & 1 != 0,
            firstAvailable: firstAvailable, storedThrough: storedThrough, records: records)
    }

    /// Cuts `records` (ascending) into at most `maximumDatagrams` batches numbered as one answer.
    /// `moreAfter` says the store holds more than `records`; the last batch's `moreAvailable` is
    /// set when either that or records were left out. Returns the batches and how many records
    /// they hold.
    public static func split(
        _ records: [Record], requestId: UInt32, firstAvailable: UInt64, storedThrough: UInt64,
        maximumDatagrams: Int, moreAfter: Bool = false
    ) -> (batches: [RecordBatch], recordsTaken: Int) {
        let limit = max(1, min(maximumDatagrams, 255))
        var batches: [RecordBatch] = []
        var start = 0
        repeat {
            let end = min(start + maximumRecords, records.count)
            batches.append(
                RecordBatch(
                    requestId: requestId, firstAvailable: firstAvailable, storedThrough: storedThrough,
                    records: Array(records[start..<end])))
            start = end
        } while start < records.count && batches.count < limit
        for index in batches.indices {
            batches[index].part = UInt8(index)
            batches[index].parts = UInt8(batches.count)
        }
        batches[batches.count - 1].moreAvailable = moreAfter || start < records.count
        return (batches, start)
    }
}

/// A batch of event-log records (type 2).
public typealias EventBatch = RecordBatch<EventRecord>
/// A batch of count bins (type 3).
public typealias CountBatch = RecordBatch<CountBin>
