import Hummingbird

/// A refused API request, answered as JSON in the shape junctionctl's errors take:
/// `{"error":{"code":"bad-parameter","message":"hours: expected a whole number from 1 to 744, got \"abc\""}}`.
struct APIError: HTTPResponseError {
    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }

        var error: Detail
    }

    var status: HTTPResponse.Status
    /// `bad-parameter`, or the status's reason in kebab case (`not-found`, `conflict`, `content-too-large`, …).
    var code: String
    var message: String

    /// A refusal with `status`, coded by its reason phrase.
    init(_ status: HTTPResponse.Status, message: String) {
        let code = status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "-")
        self.init(status: status, code: code, message: message)
    }

    private init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func badParameter(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad-parameter", message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(.notFound, message: message)
    }

    /// The request is well formed but the thing it names is not in a state that allows it (an alarm acknowledged
    /// already).
    static func conflict(_ message: String) -> APIError {
        APIError(.conflict, message: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try DashboardServer.json(Body(error: .init(code: code, message: message)), status: status)
    }
}

/// The query of one API request, checked whole: a parameter the route does not know, one given twice, or a value
/// that is not a whole number in its range is an `APIError`, never quietly replaced by a default.
struct APIQuery {
    private let values: [String: String]

    /// The query of `request`; `accepted` names the parameters the route takes.
    init(_ request: Request, accepted: [String]) throws(APIError) {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            guard accepted.contains(name) else {
                let known = accepted.isEmpty ? "none" : accepted.joined(separator: ", ")
                throw .badParameter("unknown parameter \"\(name)\"; this route takes: \(known)")
            }
            guard values.updateValue(String(value), forKey: name) == nil else {
                throw .badParameter("\(name): given more than once")
            }
        }
        self.values = values
    }

    /// The parameter `name` as a whole number in `range`, or `default` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(APIError) -> Int {
        guard let text = values[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .badParameter(
                "\(name): expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return number
    }

    /// The parameter `name` as given, or nil when absent.
    func text(_ name: String) -> String? { values[name] }

    /// The path parameter `name` as a junction id.
    static func junctionID(_ context: some RequestContext, _ name: String = "id") throws(APIError) -> UInt32 {
        let text = context.parameters.get(name).map { String($0) } ?? ""
        guard let id = UInt32(text) else { throw .badParameter("junction id: expected a whole number, got \"\(text)\"") }
        return id
    }
}
