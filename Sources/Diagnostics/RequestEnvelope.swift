/// A client's label for a request, echoed in the reply so replies can be matched to requests.
public enum RequestID: Sendable, Equatable, Codable, CustomStringConvertible {
    case integer(Int)
    case string(String)

    /// The id as it appears on the wire.
    public var json: JSONValue {
        switch self {
        case .integer(let number): return .integer(number)
        case .string(let text): return .string(text)
        }
    }

    public var description: String {
        switch self {
        case .integer(let number): return "\(number)"
        case .string(let text): return text
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        }
    }
}

/// One request line: the request and the client's optional id.
public struct RequestEnvelope: Sendable, Equatable {
    /// The client's label, echoed in the reply; nil when the request had none.
    public var id: RequestID?
    /// What is asked.
    public var request: DiagnosticRequest

    public init(id: RequestID? = nil, request: DiagnosticRequest) {
        self.id = id
        self.request = request
    }

    /// The request as one line of JSON, newline included: what a client writes to the socket.
    public var line: String {
        var members = [JSONMember("v", .integer(DiagnosticProtocol.version))]
        if let id { members.append(JSONMember("id", id.json)) }
        members.append(JSONMember("cmd", .string(request.command)))
        members.append(contentsOf: request.arguments)
        return JSONValue.object(members).serialized + "\n"
    }
}
