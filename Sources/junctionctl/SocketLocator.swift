import Diagnostics
import SystemInterface

/// Finds the socket a command should use: `--socket`, else the read or control socket in
/// `--runtime-directory`, `$JUNCTIOND_RUNTIME_DIRECTORY`, `/run/junctiond`, `/tmp/junctiond-$UID`
/// or root's demo directory `/tmp/junctiond-0`, whichever holds one first.
///
/// The demo directories sit in world-writable `/tmp`, where anyone may make them first: one is
/// used only when `DirectoryTrust` trusts it (a real directory owned by this user or root that
/// nobody else may write to), and refused with its owner and mode named otherwise, so a socket
/// planted by another user is never talked to.
enum SocketLocator {
    static func path(for access: DiagnosticRequest.Access, options: ClientOptions) throws(ClientError) -> String {
        if let socket = options.socket { return socket }
        let name = access == .control ? DiagnosticProtocol.controlSocketName : DiagnosticProtocol.readSocketName
        var directories: [String] = []
        var demoDirectories: [String] = []
        if let directory = options.runtimeDirectory {
            directories = [directory]
        } else if let variable = Syscall.environment("JUNCTIOND_RUNTIME_DIRECTORY") {
            directories = [variable]
        } else {
            demoDirectories = [DiagnosticProtocol.demoRuntimeDirectory(uid: Syscall.userID()), DiagnosticProtocol.demoRuntimeDirectory(uid: 0)]
            directories = [DiagnosticProtocol.serviceRuntimeDirectory] + demoDirectories
        }
        var searched: [String] = []
        for directory in directories where !searched.contains(directory + "/" + name) {
            let path = directory + "/" + name
            searched.append(path)
            if demoDirectories.contains(directory) { try checkTrusted(directory) }
            do {
                if try Syscall.lstat(path) != nil { return path }
            } catch {
                // A directory we may not enter hides the socket; say so rather than "missing".
                if error.errno == .permissionDenied {
                    throw .permissionDenied(path: path, group: groupName(of: directory), access: access)
                }
            }
        }
        throw .socketMissing(searched: searched)
    }

    /// The control socket in the directory of the socket at `path`.
    static func controlSocket(besides path: String) -> String {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return directory + "/" + DiagnosticProtocol.controlSocketName
    }

    /// Throws when `directory` exists and is not to be trusted; a missing one is left to the search.
    private static func checkTrusted(_ directory: String) throws(ClientError) {
        guard let status = try? Syscall.lstat(directory) else { return }
        if let problem = DirectoryTrust.problem(
            path: directory, mode: UInt32(status.st_mode), owner: status.st_uid, ownerName: Syscall.userName(status.st_uid),
            trusted: [Syscall.userID(), 0])
        {
            throw .untrustedDirectory(problem)
        }
    }

    /// The name of the group owning `path`, if it can be read.
    static func groupName(of path: String) -> String? {
        guard let status = try? Syscall.status(path) else { return nil }
        return Syscall.groupName(status.st_gid)
    }
}
