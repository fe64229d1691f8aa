/// Everything a receiver checks, in the order of docs/protocol.md: frame, tag, role, replay and
/// payload, with every refusal counted by reason. A refused datagram yields nothing to answer.
///
/// One receiver serves one socket. A junction's has its own key; central's has one per junction.
public struct WireReceiver: Sendable {
    /// Which side of the protocol this receiver is on, deciding which types and senders it accepts.
    public enum Role: Sendable {
        /// Accepts `poll` and `ack` from centrals (sender id ≥ 1) about this junction id only.
        case junction(id: UInt32)
        /// Accepts `status`, `events` and `counts` from junctions (sender id 0).
        case central
    }

    public let role: Role
    /// Keys by junction id. A junction holds only its own.
    public var keys: [UInt32: WireKey]
    /// Refusals by reason.
    public private(set) var drops = DropCounters()
    /// Datagrams that passed every check.
    public private(set) var accepted: UInt64 = 0
    private var windows: [ReplayState.Peer: (window: ReplayWindow, lastUse: UInt64)] = [:]
    private let maximumPeers: Int
    /// The boot a sender without a window must at least have: the restored minimum, raised past the
    /// boot of every window forgotten for room, so a datagram that window refused stays refused.
    private var minimumBootId: UInt64

    /// A receiver for `role`; `maximumPeers` bounds the replay windows kept (the least recently
    /// used is forgotten beyond it; only key holders can create one). A forgotten sender is heard
    /// again only from a later boot than its window had, as is any sender new after it: a captured
    /// datagram of that sender cannot be accepted once more, at the price of refusing it (as
    /// `staleBoot`) until it restarts if it was still running. The minimum is one for every sender,
    /// which suits a junction's receiver (its senders are the centrals, whose boots grow with
    /// time); central keeps its own window per junction. `restoring` is the `replayState` of
    /// an earlier run, so that nothing it accepted is accepted again.
    public init(role: Role, keys: [UInt32: WireKey], maximumPeers: Int = 16, restoring: ReplayState = ReplayState()) {
        self.role = role
        self.keys = keys
        self.maximumPeers = max(1, maximumPeers)
        minimumBootId = restoring.minimumBootId
        for (peer, window) in restoring.windows {
            windows[peer] = (window, 0)
            forgetLeastRecentBeyondLimit()
        }
    }

    /// The replay windows as they stand: what a restart must restore (keep it after every
    /// accepted datagram and before acting on it).
    public var replayState: ReplayState {
        ReplayState(windows: windows.mapValues(\.window), minimumBootId: minimumBootId)
    }

    /// The datagram if it passes every check; nil (and counted) otherwise.
    public mutating func receive(_ bytes: ArraySlice<UInt8>) -> Datagram? {
        do {
            return try open(bytes)
        } catch {
            return nil
        }
    }

    /// Counts a drop decided outside the receiver (`unknownPeer`, by the socket owner).
    public mutating func count(_ reason: DropReason) {
        drops.count(reason)
    }

    /// The datagram, or the reason it was refused (also counted).
    public mutating func open(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Datagram {
        do {
            let datagram = try check(bytes)
            accepted &+= 1
            return datagram
        } catch {
            drops.count(error.dropReason)
            throw error
        }
    }

    private mutating func check(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Datagram {
        let keys = self.keys
        let frame = try DatagramOpener.authenticate(bytes) { keys[$0] }
        let header = frame.header
        switch role {
        case .junction(let id):
            guard header.junctionId == id, !header.type.travelsUpstream,
                header.senderId != WireFormat.junctionSenderId
            else { throw .unexpectedType }
        case .central:
            guard header.type.travelsUpstream, header.senderId == WireFormat.junctionSenderId else {
                throw .unexpectedType
            }
        }
        let peer = ReplayState.Peer(junctionId: header.junctionId, senderId: header.senderId)
        var window = windows[peer]?.window ?? ReplayWindow(minimumBootId: minimumBootId)
        try window.check(bootId: header.bootId, sequence: header.sequence)
        let datagram = try frame.decode()
        window.accept(bootId: header.bootId, sequence: header.sequence)
        remember(window, for: peer)
        return datagram
    }

    private mutating func remember(_ window: ReplayWindow, for peer: ReplayState.Peer) {
        let use = accepted &+ drops.total
        windows[peer] = (window, use)
        forgetLeastRecentBeyondLimit()
    }

    /// Beyond `maximumPeers`, forgets the least recently used window, and raises the minimum boot
    /// past it (see `init`).
    private mutating func forgetLeastRecentBeyondLimit() {
        guard windows.count > maximumPeers,
            let oldest = windows.min(by: { $0.value.lastUse < $1.value.lastUse })
        else { return }
        windows.removeValue(forKey: oldest.key)
        // Saturating: only a window restored from an older version's state can hold 2^64 − 1.
        minimumBootId = max(minimumBootId, min(oldest.value.window.bootId, UInt64.max - 1) + 1)
    }
}
