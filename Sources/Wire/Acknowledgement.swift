/// Central's cumulative acknowledgement: it holds every record up to these numbers
/// (docs/protocol.md, type 17).
public struct Acknowledgement: Sendable, Equatable {
    /// Every event record ≤ this is held by central.
    public var eventsThrough: UInt64
    /// Every count record ≤ this is held by central.
    public var countsThrough: UInt64

    public init(eventsThrough: UInt64, countsThrough: UInt64) {
        self.eventsThrough = eventsThrough
        self.countsThrough = countsThrough
    }

    /// Appends the payload (16 bytes).
    public func encode(into writer: inout ByteWriter) {
        writer.write(eventsThrough)
        writer.write(countsThrough)
    }

    /// Reads a whole payload.
    public static func decode(from reader: inout ByteReader) throws(WireError) -> Acknowledgement {
        let acknowledgement = Acknowledgement(
            eventsThrough: try reader.read(UInt64.self, "ack.events_through"),
            countsThrough: try reader.read(UInt64.self, "ack.counts_through"))
        try reader.expectEnd("ack")
        return acknowledgement
    }
}
