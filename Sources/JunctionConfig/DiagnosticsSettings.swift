/// Who may use the diagnostic sockets, and how many at once (`[diagnostics]`).
public struct DiagnosticsSettings: Sendable, Equatable {
    /// Members may read status, events and counts (`junctiond.sock`).
    public var readGroup: String
    /// Members may also take control: flash, hold, advance, call, plan, reset-fault
    /// (`junctiond-control.sock`).
    public var adminGroup: String
    /// Connections served at once, over both sockets; more are refused with `busy`.
    public var maxClients: Int

    /// The default groups follow the service's own user: `junctiond` reads, `junctiond-admin` controls.
    public init(readGroup: String = "junctiond", adminGroup: String = "junctiond-admin", maxClients: Int = 16) {
        self.readGroup = readGroup
        self.adminGroup = adminGroup
        self.maxClients = maxClients
    }

    /// The range `max_clients` may take.
    public static let maxClientsRange = 1...256
}
