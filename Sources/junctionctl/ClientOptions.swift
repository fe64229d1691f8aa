import ArgumentParser
import Diagnostics

/// The options every command that talks to the daemon takes.
struct ClientOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the reply as JSON (one object per line) for scripts.")
    var json = false

    @Option(name: .long, help: "The socket to use, instead of the one the command normally uses.", completion: .file())
    var socket: String?

    @Option(
        name: .customLong("runtime-directory"),
        help: "Where junctiond keeps its sockets (default: $JUNCTIOND_RUNTIME_DIRECTORY, /run/junctiond, /tmp/junctiond-$UID).",
        completion: .directory)
    var runtimeDirectory: String?

    @Option(name: .customLong("timeout"), parsing: .unconditional, help: "Seconds to wait for a reply, however many other lines come first.")
    var timeoutSeconds: Int = 5

    func validate() throws {
        guard (1...3600).contains(timeoutSeconds) else { throw ValidationError("--timeout takes 1–3600 seconds") }
    }
}
