/// Who may do what on the two diagnostic sockets, decided from the peer's kernel credentials.
///
/// - Reading (status, events, subscriptions) is for root, the daemon's own user, and members of
///   the read group or the admin group.
/// - Control (flash, hold, advance, call, plan, reset-fault) is for root and members of the admin
///   group, and only on the control socket, like linuxptp's read-only and read-write sockets.
/// A group that does not exist on the system grants nothing.
public struct AccessPolicy: Sendable, Equatable {
    /// Which socket a connection came in on.
    public enum Socket: String, Sendable {
        case read
        case control
    }

    /// A configured group and its id on this system (nil when no such group exists).
    public struct Group: Sendable, Equatable {
        /// The group's name, as configured.
        public var name: String
        /// Its id on this system; nil when the system has no such group.
        public var gid: UInt32?

        public init(name: String, gid: UInt32?) {
            self.name = name
            self.gid = gid
        }
    }

    /// Grants reading.
    public var readGroup: Group
    /// Grants reading and control.
    public var adminGroup: Group
    /// The uid the daemon runs as.
    public var daemonUID: UInt32

    public init(readGroup: Group, adminGroup: Group, daemonUID: UInt32) {
        self.readGroup = readGroup
        self.adminGroup = adminGroup
        self.daemonUID = daemonUID
    }

    /// True when `peer` may use read commands.
    public func mayRead(_ peer: PeerIdentity) -> Bool {
        peer.uid == 0 || peer.uid == daemonUID || isMember(peer, readGroup) || isMember(peer, adminGroup)
    }

    /// True when `peer` may use control commands (on the control socket).
    public func mayControl(_ peer: PeerIdentity) -> Bool {
        peer.uid == 0 || isMember(peer, adminGroup)
    }

    /// Why `peer` may not stay connected to `socket`, or nil when it may.
    public func refusal(of peer: PeerIdentity, on socket: Socket) -> String? {
        mayRead(peer) || (socket == .control && mayControl(peer)) ? nil : readingNeeds(peer)
    }

    /// Why `peer` may not send a request of `access` on `socket`, or nil when it may.
    public func refusal(of access: DiagnosticRequest.Access, by peer: PeerIdentity, on socket: Socket) -> String? {
        switch access {
        case .read:
            return mayRead(peer) ? nil : readingNeeds(peer)
        case .control:
            guard socket == .control else {
                return "control commands are served on \(DiagnosticProtocol.controlSocketName) only; "
                    + "this is the read-only socket"
            }
            return mayControl(peer) ? nil : "control commands need membership of group \(adminGroup.name) (or root); uid \(peer.uid) is not a member"
                + (adminGroup.gid == nil ? " (group \(adminGroup.name) does not exist on this system)" : "")
        }
    }

    private func readingNeeds(_ peer: PeerIdentity) -> String {
        "reading needs membership of group \(readGroup.name) or \(adminGroup.name) (or root); uid \(peer.uid) is in neither"
    }

    private func isMember(_ peer: PeerIdentity, _ group: Group) -> Bool {
        guard let gid = group.gid else { return false }
        return peer.isMember(of: gid)
    }
}
