/// Constants shared by the daemon's diagnostic server and its clients.
public enum DiagnosticProtocol {
    /// The protocol version every line carries as `"v"`; a request for another version is refused.
    public static let version = 1
    /// The read-only socket's file name in the runtime directory.
    public static let readSocketName = "junctiond.sock"
    /// The control socket's file name in the runtime directory.
    public static let controlSocketName = "junctiond-control.sock"
    /// The runtime directory of the service (systemd's RuntimeDirectory=junctiond).
    public static let serviceRuntimeDirectory = "/run/junctiond"
    /// The longest request line, newline excluded; a longer one is answered with `too-long` and the
    /// connection is closed, since the rest of it cannot be trusted to be a new line.
    public static let maxRequestLineBytes = JSONLimits.request.maxBytes
    /// The most events one `events` reply or stream line carries; ask again with `since` for more.
    public static let maxEventsPerReply = 500
    /// The default interval of a state subscription, in milliseconds.
    public static let defaultStateIntervalMilliseconds = 500
    /// The intervals a state subscription may ask for, in milliseconds.
    public static let stateIntervalRangeMilliseconds = 100...10_000

    /// The runtime directory for demos run outside systemd, per user so demos never collide.
    public static func demoRuntimeDirectory(uid: UInt32) -> String { "/tmp/junctiond-\(uid)" }
}
