import FoundationEssentials

/// Writes the daemon's lines: replies, error replies and stream lines, each one line of JSON
/// ending in a newline.
///
/// Every line carries `"v"`. A reply carries the request's `"id"` (when it had one), `"ok"` and
/// the reply's name; its payload is under `"data"`, with snake_case keys.
public enum ResponseLine {
    /// A successful reply to the request `id`.
    public static func reply(id: RequestID?, _ name: String, data: some Encodable) -> [UInt8] {
        var header = [JSONMember("v", .integer(DiagnosticProtocol.version))]
        if let id { header.append(JSONMember("id", id.json)) }
        header.append(JSONMember("ok", .bool(true)))
        header.append(JSONMember("reply", .string(name)))
        return framed(header, data: data)
    }

    /// An error reply; `id` is the request's when it could be read.
    public static func error(id: RequestID?, _ code: DiagnosticErrorCode, _ message: String) -> [UInt8] {
        var members = [JSONMember("v", .integer(DiagnosticProtocol.version))]
        if let id { members.append(JSONMember("id", id.json)) }
        members.append(JSONMember("ok", .bool(false)))
        members.append(
            JSONMember("error", .object([JSONMember("code", .string(code.rawValue)), JSONMember("message", .string(message))])))
        return Array((JSONValue.object(members).serialized + "\n").utf8)
    }

    /// An error reply for a request that could not be decoded.
    public static func error(_ error: RequestError) -> [UInt8] {
        Self.error(id: error.id, error.code, error.message)
    }

    /// A line of a subscription.
    public static func stream(_ stream: DiagnosticStream, data: some Encodable) -> [UInt8] {
        let header = [
            JSONMember("v", .integer(DiagnosticProtocol.version)), JSONMember("stream", .string(stream.rawValue)),
        ]
        return framed(header, data: data)
    }

    /// `header` as an object with `"data": data` appended, then a newline.
    private static func framed(_ header: [JSONMember], data: some Encodable) -> [UInt8] {
        var text = JSONValue.object(header).serialized
        text.removeLast()
        var bytes = Array(text.utf8)
        bytes.append(contentsOf: Array(",\"data\":".utf8))
        do {
            bytes.append(contentsOf: try WireCoding.encoder().encode(data))
        } catch {
            // The report types hold only strings, integers, booleans and arrays of them; they always encode.
            preconditionFailure("a report failed to encode: \(error)")
        }
        bytes.append(contentsOf: Array("}\n".utf8))
        return bytes
    }
}

/// The JSON coders for report payloads: compact, snake_case keys in sorted order (so a line reads
/// the same every time), no escaped slashes.
enum WireCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
