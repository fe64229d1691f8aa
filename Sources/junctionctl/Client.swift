import ArgumentParser
import Diagnostics
import SystemInterface

/// How the commands talk to the daemon and report failure: one place that connects, sends,
/// decodes, and turns every `ClientError` into a message (or a JSON object) and an exit status.
enum Client {
    /// Connects to the socket `access` needs. When the read socket's file mode keeps us out, the
    /// control socket beside it is tried: it serves read commands too, and its mode lets in the
    /// admin group, whose members may read without being in the read group.
    static func connect(for access: DiagnosticRequest.Access, options: ClientOptions) throws -> DiagnosticClient {
        try guarded(options) { () throws(ClientError) in
            let path = try SocketLocator.path(for: access, options: options)
            do throws(ClientError) {
                return try DiagnosticClient(path: path, access: access)
            } catch {
                guard case .permissionDenied = error, access == .read, options.socket == nil,
                    let control = try? DiagnosticClient(path: SocketLocator.controlSocket(besides: path), access: access)
                else { throw error }
                return control
            }
        }
    }

    /// Sends `request` on a new connection and returns its reply.
    static func call(_ request: DiagnosticRequest, options: ClientOptions) throws -> ResponseMessage {
        let client = try connect(for: request.access, options: options)
        return try guarded(options) { () throws(ClientError) in try client.call(request, timeoutSeconds: options.timeoutSeconds) }
    }

    /// The reply's data as `type`: as sent for `--json`, else made safe to print (control and
    /// bidirectional characters escaped, long strings cut; `DisplayText`).
    static func decode<Payload: Decodable>(_ type: Payload.Type, _ message: ResponseMessage, options: ClientOptions) throws
        -> Payload
    {
        try guarded(options) { () throws(ClientError) in
            do throws(ResponseError) {
                return try options.json ? message.decode(type) : message.decodeForDisplay(type)
            } catch {
                throw .protocolError(error.description)
            }
        }
    }

    /// Prints the reply's data as one line of JSON.
    static func printJSON(_ message: ResponseMessage) {
        print((message.data ?? .null).serialized)
        Syscall.flushStandardStreams()
    }

    /// Runs `body`; a `ClientError` is reported (on stderr, or as JSON on stdout with `--json`)
    /// and becomes the exit status.
    static func guarded<Result>(_ options: ClientOptions, _ body: () throws(ClientError) -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            report(error, json: options.json)
            throw ExitCode(error.exitStatus)
        }
    }

    static func report(_ error: ClientError, json: Bool) {
        if json {
            let object = JSONValue.object([
                JSONMember("error", .object([JSONMember("code", .string(error.code)), JSONMember("message", .string(error.description))]))
            ])
            print(object.serialized)
            Syscall.flushStandardStreams()
        } else {
            // The message may quote names from the junction file and text from the daemon.
            writeError("junctionctl: \(DisplayText.escaped(error.description, limit: DisplayText.messageLimit))\n")
        }
    }

    /// Writes to standard error in one call.
    static func writeError(_ text: String) {
        Syscall.writeToStandardError(text)
    }
}
