/// What the diagnostic server itself counted since the daemon started, so that refused
/// connections, bad lines and dropped clients are visible rather than silent.
public struct ServerCounters: Codable, Sendable, Equatable {
    /// Connections open now, and the cap.
    public var clients: Int
    public var maxClients: Int
    /// Connections accepted and served.
    public var accepted: UInt64
    /// Connections turned away because `maxClients` were already connected.
    public var refusedBusy: UInt64
    /// Connections closed at once because the peer's credentials allow nothing.
    public var refusedForbidden: UInt64
    /// Request lines read, and those answered with an error.
    public var requests: UInt64
    public var errors: UInt64
    /// Lines over the length limit (each closes its connection).
    public var oversizedLines: UInt64
    /// Connections closed for a stalled line, idleness, or a stalled reader.
    public var timeouts: UInt64
    /// Subscribers dropped because they did not read their stream.
    public var slowConsumers: UInt64
    /// State frames skipped for a subscriber that had not read the previous ones.
    public var framesSkipped: UInt64
    /// Control commands accepted for the controller (each recorded in the journal).
    public var controlCommands: UInt64

    public init(
        clients: Int = 0, maxClients: Int = 0, accepted: UInt64 = 0, refusedBusy: UInt64 = 0,
        refusedForbidden: UInt64 = 0, requests: UInt64 = 0, errors: UInt64 = 0, oversizedLines: UInt64 = 0,
        timeouts: UInt64 = 0, slowConsumers: UInt64 = 0, framesSkipped: UInt64 = 0, controlCommands: UInt64 = 0
    ) {
        self.clients = clients
        self.maxClients = maxClients
        self.accepted = accepted
        self.refusedBusy = refusedBusy
        self.refusedForbidden = refusedForbidden
        self.requests = requests
        self.errors = errors
        self.oversizedLines = oversizedLines
        self.timeouts = timeouts
        self.slowConsumers = slowConsumers
        self.framesSkipped = framesSkipped
        self.controlCommands = controlCommands
    }
}
