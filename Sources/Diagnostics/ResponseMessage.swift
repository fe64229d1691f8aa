import FoundationEssentials

/// One line from the daemon as a client reads it: a reply, an error reply or a stream line.
///
/// The line is parsed by the bounded `JSONParser` first (`JSONLimits.response`); payloads are
/// then decoded into the report types on demand.
public struct ResponseMessage: Sendable, Equatable {
    /// What kind of line it is.
    public enum Kind: Sendable, Equatable {
        /// A successful reply, by name (`status`, `control`, …).
        case reply(String)
        /// An error reply: its code (nil for a code this client does not know), the code as sent, and the message.
        case error(DiagnosticErrorCode?, code: String, message: String)
        /// A subscription line of the named stream.
        case stream(String)
    }

    public var id: RequestID?
    public var kind: Kind
    /// The payload of replies and stream lines.
    public var data: JSONValue?

    /// Reads one line (without its newline).
    public static func parse(_ line: some Collection<UInt8>) throws(ResponseError) -> ResponseMessage {
        let value: JSONValue
        do {
            value = try JSONParser(limits: .response).parse(line)
        } catch {
            throw .malformed("not valid JSON: \(error)")
        }
        guard case .object = value else { throw .malformed("a line that is not a JSON object") }
        guard case .integer(DiagnosticProtocol.version)? = value["v"] else {
            throw .malformed("protocol version \(value["v"]?.serialized ?? "missing"), expected \(DiagnosticProtocol.version)")
        }
        var id: RequestID?
        switch value["id"] {
        case .integer(let number)?: id = .integer(number)
        case .string(let text)?: id = .string(text)
        default: id = nil
        }
        if case .string(let stream)? = value["stream"] {
            return ResponseMessage(id: id, kind: .stream(stream), data: value["data"])
        }
        switch value["ok"] {
        case .bool(true)?:
            guard case .string(let name)? = value["reply"] else { throw .malformed("a reply without its name") }
            return ResponseMessage(id: id, kind: .reply(name), data: value["data"])
        case .bool(false)?:
            guard case .string(let code)? = value["error"]?["code"], case .string(let message)? = value["error"]?["message"]
            else { throw .malformed("an error reply without code and message") }
            return ResponseMessage(
                id: id, kind: .error(DiagnosticErrorCode(rawValue: code), code: code, message: message), data: nil)
        default:
            throw .malformed("a line that is neither a reply nor a stream line")
        }
    }

    /// The payload decoded as `type`.
    public func decode<Payload: Decodable>(_ type: Payload.Type) throws(ResponseError) -> Payload {
        guard let data else { throw .malformed("a line without data") }
        do {
            return try WireCoding.decoder().decode(type, from: Data(data.serialized.utf8))
        } catch {
            throw .malformed("unexpected \(Payload.self) data: \(error)")
        }
    }

    /// The payload decoded as `type` for printing to a terminal: every string value passed through
    /// `DisplayText.escaped` first, so no name from a junction file reaches the terminal raw or
    /// at full length. `--json` output uses `data` as it is (its serialiser escapes the same
    /// scalars, and the values stay whole).
    public func decodeForDisplay<Payload: Decodable>(_ type: Payload.Type) throws(ResponseError) -> Payload {
        var safe = self
        safe.data = data?.mappingStrings { DisplayText.escaped($0) }
        return try safe.decode(type)
    }
}

/// Why a line from the daemon could not be read.
public enum ResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "unreadable reply from junctiond: \(why)"
        }
    }
}
