/// The rule for a directory that holds junctiond's sockets or state, shared by the daemon (which
/// makes and checks it) and junctionctl (which checks it before trusting a socket in it).
///
/// A directory is trusted when it is a real directory (not a symbolic link, checked with
/// `lstat`), owned by one of the trusted users, and writable by nobody else (no group or other
/// write bit). Anyone who could write to it could move the sockets away and put their own in
/// their place, or plant a state file, so anything else is refused, with a message naming the
/// owner and the mode. Pure: the caller reads the file's status.
public enum DirectoryTrust {
    /// Why `path` is not to be trusted, or nil when it is.
    ///
    /// - Parameters:
    ///   - mode: the `st_mode` from `lstat`, file type bits included.
    ///   - owner: the `st_uid` from `lstat`.
    ///   - ownerName: the owner's user name, when the system has one, for the message.
    ///   - trusted: the users who may own it: the caller's own uid, and root.
    public static func problem(path: String, mode: UInt32, owner: UInt32, ownerName: String?, trusted: [UInt32])
        -> String?
    {
        let type = mode & fileTypeMask
        let permissions = "0" + String(mode & 0o7777, radix: 8)
        let who = ownerName.map { "\($0) (uid \(owner))" } ?? "uid \(owner)"
        let fix = "remove it, or choose another directory"
        guard type == directoryType else {
            let what = type == symbolicLinkType ? "a symbolic link" : "not a directory"
            return "\(path) is \(what) (owned by \(who)); refusing to use it: \(fix)"
        }
        guard trusted.contains(owner) else {
            // The caller's own uid is root's when it runs as root: name each once.
            let distinct = trusted.enumerated().filter { !trusted[..<$0.offset].contains($0.element) }.map(\.element)
            let expected = distinct.map { "uid \($0)" }.joined(separator: " or ")
            return "\(path) is owned by \(who) with mode \(permissions), not by \(expected): "
                + "another user made it and could replace what is in it; \(fix)"
        }
        guard mode & groupOrOtherWrite == 0 else {
            return "\(path) (owned by \(who)) has mode \(permissions): group or others may write to it "
                + "and could replace what is in it; run `chmod go-w \(path)`, or choose another directory"
        }
        return nil
    }

    // POSIX values, the same on every Linux architecture; this module does not import libc.
    private static let fileTypeMask: UInt32 = 0o170000
    private static let directoryType: UInt32 = 0o040000
    private static let symbolicLinkType: UInt32 = 0o120000
    private static let groupOrOtherWrite: UInt32 = 0o022
}
