/// Why a request line was not accepted, with the wire code and a sentence for the client.
public struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The code of the error reply.
    public var code: DiagnosticErrorCode
    /// What was wrong, naming the field and what it should hold.
    public var message: String
    /// The request's id when it could be read, so the error reply can carry it.
    public var id: RequestID?

    public init(code: DiagnosticErrorCode, message: String, id: RequestID? = nil) {
        self.code = code
        self.message = message
        self.id = id
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
