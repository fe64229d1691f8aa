/// Any payload, tagged by its type.
public enum WireMessage: Sendable, Equatable {
    case status(StatusReport)
    case events(EventBatch)
    case counts(CountBatch)
    case poll(PollRequest)
    case ack(Acknowledgement)

    /// The type byte this message travels under.
    public var type: MessageType {
        switch self {
        case .status: return .status
        case .events: return .events
        case .counts: return .counts
        case .poll: return .poll
        case .ack: return .ack
        }
    }

    /// Appends the payload.
    public func encode(into writer: inout ByteWriter) {
        switch self {
        case .status(let report): report.encode(into: &writer)
        case .events(let batch): batch.encode(into: &writer)
        case .counts(let batch): batch.encode(into: &writer)
        case .poll(let poll): poll.encode(into: &writer)
        case .ack(let ack): ack.encode(into: &writer)
        }
    }

    /// Reads the payload of a datagram of `type` with that type's one decoder.
    public static func decode(_ type: MessageType, from reader: inout ByteReader) throws(WireError) -> WireMessage {
        switch type {
        case .status: return .status(try StatusReport.decode(from: &reader))
        case .events: return .events(try EventBatch.decode(from: &reader))
        case .counts: return .counts(try CountBatch.decode(from: &reader))
        case .poll: return .poll(try PollRequest.decode(from: &reader))
        case .ack: return .ack(try Acknowledgement.decode(from: &reader))
        // Junction to junction, never to or from central: `OutflowProfile.decode` reads it.
        case .neighbourOutflow: throw .unexpectedType
        }
    }
}
