import Diagnostics
import Glibc
import SystemInterface

/// Makes or checks a directory that only this process's user may change: the runtime directory
/// that holds the diagnostic sockets and the demo state directory under `/tmp`.
///
/// A directory that exists already is used only when `DirectoryTrust` trusts it: a real directory
/// (never followed through a symbolic link), owned by this user or root, with no group or other
/// write bit. Otherwise another user could have made `/tmp/junctiond-$UID` first and be able to
/// move our sockets away or plant a state file; that is refused with the owner and mode named,
/// never fixed up silently.
public enum PrivateDirectory {
    /// Why a directory could not be made or is not to be trusted, in words for the log.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String

        package init(description: String) {
            self.description = description
        }
    }

    /// Makes `path` with `mode` when it is missing, then checks it (whether just made or found).
    public static func prepare(_ path: String, mode: mode_t) throws(Refusal) {
        let status: stat?
        do throws(SystemError) {
            try Syscall.makeDirectory(path, mode: mode)
            status = try Syscall.lstat(path)
        } catch {
            throw Refusal(description: "cannot make \(path): \(error)")
        }
        // Gone between mkdir and lstat: someone is racing us for the name.
        guard let status else { throw Refusal(description: "\(path) vanished as it was made; refusing to use it") }
        let owner = UInt32(status.st_uid)
        if let problem = DirectoryTrust.problem(
            path: path, mode: UInt32(status.st_mode), owner: owner, ownerName: Syscall.userName(owner),
            trusted: [Syscall.effectiveUserID(), 0])
        {
            throw Refusal(description: problem)
        }
    }
}
