/// What the diagnostic server itself counted since the daemon started, so that refused
/// connections, bad lines and dropped clients are visible rather than silent.
public struct ServerCounters: Codable, Sendable, Equatable {
    /// Connections open now, and the cap (`ClientSlots`): `maxClients` for anyone, and
    /// `reservedControlSlots` more for peers that may control, on the control socket.
    public var clients: Int
    public var maxClients: Int
    public var reservedControlSlots: Int
    /// Connections accepted and served.
    public var accepted: UInt64
    /// Connections turned away because every slot they may take was in use; of those,
    /// `refusedBusyControl` were control-socket peers allowed to control (an admin turned away).
    public var refusedBusy: UInt64
    public var refusedBusyControl: UInt64
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
        timeouts: UInt64 = 0, slowConsumers: UInt64 = 0, framesSkipped: UInt64 = 0, controlCommands: UInt64 = 0,
        reservedControlSlots: Int = 0, refusedBusyControl: UInt64 = 0
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
        self.reservedControlSlots = reservedControlSlots
        self.refusedBusyControl = refusedBusyControl
    }
}
