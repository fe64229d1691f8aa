/// The one decoder of request lines: bounded JSON, then a strict reading of the fields.
///
/// Guarantees, for any bytes: it returns a request or throws a `RequestError` whose message names
/// the field at fault, and never traps. Unknown fields are errors (a misspelt `"folow"` would
/// otherwise be silently ignored); `"v"` may be left out and then means version 1.
public struct RequestDecoder: Sendable {
    private let parser: JSONParser

    /// A decoder held to `limits` (by default the request bounds of the protocol).
    public init(limits: JSONLimits = .request) {
        parser = JSONParser(limits: limits)
    }

    /// Decodes one line, without its newline (a trailing carriage return is tolerated for telnet).
    public func decode(_ line: some Collection<UInt8>) throws(RequestError) -> RequestEnvelope {
        var bytes = Array(line)
        if bytes.last == 0x0D { bytes.removeLast() }
        let value: JSONValue
        do {
            value = try parser.parse(bytes)
        } catch {
            if case .tooLong = error { throw RequestError(code: .tooLong, message: error.description) }
            throw RequestError(code: .parse, message: "not valid JSON: \(error.description)")
        }
        guard case .object(let members) = value else {
            throw RequestError(code: .badRequest, message: "a request is a JSON object, not \(value.kindName)")
        }
        var fields = Fields(members: members, id: nil)
        fields.id = try fields.readID()
        try fields.checkVersion()
        let command = try fields.command()
        let request = try fields.request(for: command)
        try fields.rejectUnread(command: command)
        return RequestEnvelope(id: fields.id, request: request)
    }

    /// Decodes the UTF-8 of `text`.
    public func decode(_ text: String) throws(RequestError) -> RequestEnvelope {
        try decode(Array(text.utf8))
    }
}

/// The members of one request object, with a record of which were read.
private struct Fields {
    let members: [JSONMember]
    var id: RequestID?
    var read: Set<String> = ["v", "id", "cmd"]

    init(members: [JSONMember], id: RequestID?) {
        self.members = members
        self.id = id
    }

    func fail(_ code: DiagnosticErrorCode, _ message: String) -> RequestError {
        RequestError(code: code, message: message, id: id)
    }

    func fail(_ message: String) -> RequestError { fail(.badRequest, message) }

    func value(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }

    func readID() throws(RequestError) -> RequestID? {
        switch value("id") {
        case nil, .null?: return nil
        case .integer(let number)?: return .integer(number)
        case .string(let text)? where text.utf8.count <= 64: return .string(text)
        case let other?:
            throw fail("\"id\" must be a whole number (64-bit) or a string of at most 64 bytes, not \(describe(other))")
        }
    }

    func checkVersion() throws(RequestError) {
        switch value("v") {
        case nil: return
        case .integer(let version)? where version == DiagnosticProtocol.version: return
        case .integer(let version)?:
            throw fail(.unsupportedVersion, "protocol version \(version) is not spoken here; use \"v\":\(DiagnosticProtocol.version)")
        case let other?: throw fail("\"v\" must be a whole number, not \(describe(other))")
        }
    }

    func command() throws(RequestError) -> String {
        guard let value = value("cmd") else {
            throw fail("missing \"cmd\"; one of: \(DiagnosticRequest.commands.joined(separator: ", "))")
        }
        guard case .string(let command) = value else { throw fail("\"cmd\" must be a string, not \(value.kindName)") }
        return command
    }

    mutating func request(for command: String) throws(RequestError) -> DiagnosticRequest {
        switch command {
        case "hello": return .hello
        case "status": return .status
        case "detectors": return .detectors
        case "counts": return .counts
        case "config": return .config
        case "unsubscribe": return .unsubscribe
        case "advance": return .advance
        case "reset-fault": return .resetFault
        case "events":
            let since = try sequence("since")
            let limit = try integer("limit", in: 1...DiagnosticProtocol.maxEventsPerReply)
            return .events(since: since, limit: limit, follow: try flag("follow") ?? false)
        case "subscribe":
            let stream = try word("stream", DiagnosticStream.self, required: true)!
            let interval = try integer("interval_ms", in: DiagnosticProtocol.stateIntervalRangeMilliseconds)
            let since = try sequence("since")
            if stream == .events && interval != nil { throw fail("\"interval_ms\" applies to the state stream only") }
            if stream == .state && since != nil { throw fail("\"since\" applies to the events stream only") }
            return .subscribe(stream, intervalMilliseconds: interval, since: since)
        case "flash", "hold":
            guard let on = try flag("on") else { throw fail("\(command) needs \"on\": true or false") }
            return command == "flash" ? .flash(on: on) : .hold(on: on)
        case "call":
            read.insert("detector")
            switch value("detector") {
            case .string(let name)? where !name.isEmpty: return .call(.name(name))
            case .integer(let number)? where number > 0: return .call(.number(number))
            case nil: throw fail("call needs \"detector\": a detector name or its number (from 1)")
            case let other?: throw fail("\"detector\" must be a detector name or a number from 1, not \(describe(other))")
            }
        case "plan":
            if try flag("auto") == true {
                if value("name") != nil { throw fail("plan takes \"name\" or \"auto\": true, not both") }
                return .planAuto
            }
            read.insert("name")
            switch value("name") {
            case .string(let name)? where !name.isEmpty: return .plan(name)
            case .null?: return .plan(nil)
            case nil: throw fail("plan needs \"name\": a plan name, or null for actuated control; or \"auto\": true")
            case let other?: throw fail("\"name\" must be a plan name or null, not \(describe(other))")
            }
        default:
            throw fail(.unknownCommand,
                "unknown command \"\(command)\"; one of: \(DiagnosticRequest.commands.joined(separator: ", "))")
        }
    }

    func rejectUnread(command: String) throws(RequestError) {
        for member in members where !read.contains(member.key) {
            let known = read.subtracting(["v", "id", "cmd"]).sorted()
            let takes = known.isEmpty ? "no other fields" : known.map { "\"\($0)\"" }.joined(separator: ", ")
            throw fail("unknown field \"\(member.key)\" for \(command); it takes \"v\", \"id\", \"cmd\" and \(takes)")
        }
    }

    mutating func flag(_ key: String) throws(RequestError) -> Bool? {
        read.insert(key)
        switch value(key) {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let other?: throw fail("\"\(key)\" must be true or false, not \(describe(other))")
        }
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(RequestError) -> Int? {
        read.insert(key)
        switch value(key) {
        case nil: return nil
        case .integer(let number)? where range.contains(number): return number
        case .integer(let number)?: throw fail("\"\(key)\" \(number) is outside \(range.lowerBound)–\(range.upperBound)")
        case .number(let real)? where real.rounded() == real && real.magnitude >= 0x1p63:
            // A whole numeral beyond 64 bits reaches here as a double; it is a whole number, only too large
            // (100.0 or 1e2 within the range stay "not a whole number": the field takes integers as written).
            throw fail("\"\(key)\" is outside \(range.lowerBound)–\(range.upperBound)")
        case let other?: throw fail("\"\(key)\" must be a whole number, not \(describe(other))")
        }
    }

    mutating func sequence(_ key: String) throws(RequestError) -> UInt64? {
        read.insert(key)
        switch value(key) {
        case nil: return nil
        case .integer(let number)? where number >= 0: return UInt64(number)
        case .number(let real)? where real.rounded() == real && real >= 0x1p63:
            throw fail("\"\(key)\" is beyond the largest event sequence number, \(Int.max)")
        case let other?: throw fail("\"\(key)\" must be an event sequence number (0 or more), not \(describe(other))")
        }
    }

    mutating func word<Word: RawRepresentable & CaseIterable>(
        _ key: String, _ type: Word.Type, required: Bool
    ) throws(RequestError) -> Word? where Word.RawValue == String {
        read.insert(key)
        let choices = Word.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
        switch value(key) {
        case nil:
            if required { throw fail("missing \"\(key)\": \(choices)") }
            return nil
        case .string(let text)?:
            guard let word = Word(rawValue: text) else { throw fail("\"\(key)\" must be \(choices), not \"\(text)\"") }
            return word
        case let other?: throw fail("\"\(key)\" must be \(choices), not \(describe(other))")
        }
    }

    /// A value for an error message: short ones as written, long ones by kind.
    func describe(_ value: JSONValue) -> String {
        let text = value.serialized
        return text.count <= 40 ? text : value.kindName
    }
}
