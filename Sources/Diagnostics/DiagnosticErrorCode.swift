/// The machine-readable reason of an error reply (`"error": {"code": …}`).
public enum DiagnosticErrorCode: String, Sendable, CaseIterable, Codable {
    /// The line is not JSON (or breaks a bound such as nesting depth).
    case parse
    /// The line is longer than the protocol allows; the connection is closed after this reply.
    case tooLong = "too-long"
    /// Valid JSON, but not a request: a missing or mistyped field, an unknown field.
    case badRequest = "bad-request"
    /// `"cmd"` names no command.
    case unknownCommand = "unknown-command"
    /// `"v"` names a protocol version this daemon does not speak.
    case unsupportedVersion = "unsupported-version"
    /// The peer's credentials do not allow the command, or the socket does not serve it.
    case forbidden
    /// The controller refused the request (the message says why); nothing changed.
    case refused
    /// A name (detector, plan) that the running junction does not have.
    case notFound = "not-found"
    /// Too many clients, or too many requests waiting; try again later.
    case busy
    /// No complete line in time, or no answer from the control loop in time.
    case timeout
    /// The control loop's mailbox is full; the request was not queued.
    case unavailable
}
