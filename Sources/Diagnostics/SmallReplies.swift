/// The `hello` reply: who the daemon is, and what this connection may do.
public struct HelloReport: Codable, Sendable, Equatable {
    public var protocolVersion: Int
    public var daemon: String
    public var junction: String
    /// `read` or `control`: the socket this connection came in on.
    public var socket: String
    /// The peer's credentials as the kernel reported them (SO_PEERCRED).
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var mayRead: Bool
    public var mayControl: Bool
    /// The groups that grant reading and control; nil when the configured group does not exist.
    public var readGroup: String?
    public var adminGroup: String?

    public init(
        protocolVersion: Int, daemon: String, junction: String, socket: String, uid: UInt32, gid: UInt32, pid: Int32,
        mayRead: Bool, mayControl: Bool, readGroup: String?, adminGroup: String?
    ) {
        self.protocolVersion = protocolVersion
        self.daemon = daemon
        self.junction = junction
        self.socket = socket
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.mayRead = mayRead
        self.mayControl = mayControl
        self.readGroup = readGroup
        self.adminGroup = adminGroup
    }
}

/// The reply to a control command the controller accepted (a refusal is an error reply).
public struct ControlReport: Codable, Sendable, Equatable {
    /// The command as typed: `flash on`, `call N_stop`.
    public var command: String
    /// Always `accepted`; the change itself happens at the controller's next safe point.
    public var outcome: String
    /// The journal sequence number of the audit record of this command.
    public var auditSequence: UInt64

    public init(command: String, outcome: String, auditSequence: UInt64) {
        self.command = command
        self.outcome = outcome
        self.auditSequence = auditSequence
    }
}

/// The reply to `subscribe`, `unsubscribe` and `events` with `follow`.
public struct SubscriptionReport: Codable, Sendable, Equatable {
    /// The streams active on this connection after the request.
    public var streams: [String]
    /// The state stream's interval in milliseconds, when it is active.
    public var intervalMilliseconds: Int?
    /// Events after this sequence number will be streamed, when the events stream is active.
    public var since: UInt64?

    public init(streams: [String], intervalMilliseconds: Int?, since: UInt64?) {
        self.streams = streams
        self.intervalMilliseconds = intervalMilliseconds
        self.since = since
    }
}
