/// Central's request for status, events or count bins (docs/protocol.md, type 16).
public struct PollRequest: Sendable, Equatable {
    /// What central asks for.
    public enum Query: Sendable, Equatable {
        /// One status report.
        case status
        /// Event records with numbers above this one.
        case eventsAfter(UInt64)
        /// Count bins starting at or after this Unix time, in seconds.
        case countsSince(UInt64)
        /// Count bins with record numbers above this one.
        case countsAfter(UInt64)
    }

    /// The most datagrams a poll may ask for; the junction sends at most `answerLimit`.
    public static let maximumDatagrams: UInt8 = 32
    /// The most datagrams a junction sends in one answer.
    public static let answerLimit = 16

    /// Chosen by central, never 0; echoed in the answer.
    public var requestId: UInt32
    public var query: Query
    /// 1–32.
    public var maximumDatagrams: UInt8

    public init(requestId: UInt32, query: Query, maximumDatagrams: UInt8 = 16) {
        self.requestId = requestId
        self.query = query
        self.maximumDatagrams = maximumDatagrams
    }

    /// Appends the payload (14 bytes).
    public func encode(into writer: inout ByteWriter) {
        writer.write(requestId)
        switch query {
        case .status:
            writer.write(UInt8(1))
            writer.write(UInt64(0))
        case .eventsAfter(let record):
            writer.write(UInt8(2))
            writer.write(record)
        case .countsSince(let seconds):
            writer.write(UInt8(3))
            writer.write(seconds)
        case .countsAfter(let record):
            writer.write(UInt8(4))
            writer.write(record)
        }
        writer.write(maximumDatagrams)
    }

    /// Reads a whole payload.
    public static func decode(from reader: inout ByteReader) throws(WireError) -> PollRequest {
        let requestId = try reader.read(UInt32.self, "poll.request_id")
        guard requestId != 0 else { throw .malformed(field: "poll.request_id") }
        let kind = try reader.read(UInt8.self, "poll.query")
        let argument = try reader.read(UInt64.self, "poll.argument")
        let query: Query
        switch kind {
        case 1:
            guard argument == 0 else { throw .malformed(field: "poll.argument") }
            query = .status
        case 2: query = .eventsAfter(argument)
        case 3: query = .countsSince(argument)
        case 4: query = .countsAfter(argument)
        default: throw .malformed(field: "poll.query")
        }
        let limit = try reader.read(UInt8.self, "poll.max_datagrams")
        guard (1...maximumDatagrams).contains(limit) else { throw .malformed(field: "poll.max_datagrams") }
        try reader.expectEnd("poll")
        return PollRequest(requestId: requestId, query: query, maximumDatagrams: limit)
    }
}
