/// How the diagnostic server shares its client slots, so readers can never lock admins out.
///
/// Any peer the policy lets in may take one of `maxClients` ordinary slots. `reservedForControl`
/// more are kept for peers that may control and came in on the control socket: readers who fill
/// every ordinary slot (and hold them, as a subscriber may) still leave an admin room to flash
/// the junction. A connection beyond its limit is refused with `busy` and counted.
public struct ClientSlots: Sendable, Equatable {
    /// The ordinary slots, open to every permitted peer (`[diagnostics] max_clients`).
    public var maxClients: Int
    /// The slots beyond `maxClients` that only a control-socket peer allowed to control may take.
    public var reservedForControl: Int

    public init(maxClients: Int, reservedForControl: Int) {
        self.maxClients = maxClients
        self.reservedForControl = reservedForControl
    }

    /// Whether a new connection may be served while `connected` clients are.
    ///
    /// - Parameter controlSlot: the peer came in on the control socket and may control.
    public func admits(connected: Int, controlSlot: Bool) -> Bool {
        connected < maxClients + (controlSlot ? reservedForControl : 0)
    }
}
