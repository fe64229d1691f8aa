/// Who is on the other end of a Unix socket, as the kernel reports it (SO_PEERCRED and
/// SO_PEERGROUPS), never as the client claims.
public struct PeerIdentity: Sendable, Equatable {
    /// The user id.
    public var uid: UInt32
    /// The primary group.
    public var gid: UInt32
    /// The supplementary groups.
    public var groups: [UInt32]
    /// The connecting process, for the log.
    public var pid: Int32

    public init(uid: UInt32, gid: UInt32, groups: [UInt32], pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.groups = groups
        self.pid = pid
    }

    /// True when `gid` is the primary or a supplementary group.
    public func isMember(of gid: UInt32) -> Bool {
        self.gid == gid || groups.contains(gid)
    }
}
