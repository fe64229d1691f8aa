import Diagnostics
import Glibc

/// Finds the socket a command should use: `--socket`, else the read or control socket in
/// `--runtime-directory`, `$JUNCTIOND_RUNTIME_DIRECTORY`, `/run/junctiond`, `/tmp/junctiond-$UID`
/// or root's demo directory `/tmp/junctiond-0`, whichever holds one first.
enum SocketLocator {
    static func path(for access: DiagnosticRequest.Access, options: ClientOptions) throws(ClientError) -> String {
        if let socket = options.socket { return socket }
        let name = access == .control ? DiagnosticProtocol.controlSocketName : DiagnosticProtocol.readSocketName
        var directories: [String] = []
        if let directory = options.runtimeDirectory {
            directories = [directory]
        } else if let variable = getenv("JUNCTIOND_RUNTIME_DIRECTORY") {
            directories = [String(cString: variable)]
        } else {
            directories = [
                DiagnosticProtocol.serviceRuntimeDirectory, DiagnosticProtocol.demoRuntimeDirectory(uid: getuid()),
                DiagnosticProtocol.demoRuntimeDirectory(uid: 0),
            ]
        }
        var searched: [String] = []
        for directory in directories where !searched.contains(directory + "/" + name) {
            let path = directory + "/" + name
            searched.append(path)
            var status = stat()
            if lstat(path, &status) == 0 { return path }
            // A directory we may not enter hides the socket; say so rather than "missing".
            if errno == EACCES {
                throw .permissionDenied(path: path, group: groupName(of: directory), access: access)
            }
        }
        throw .socketMissing(searched: searched)
    }

    /// The name of the group owning `path`, if it can be read.
    static func groupName(of path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        guard getgrgid_r(status.st_gid, &entry, &buffer, buffer.count, &found) == 0, let found else { return nil }
        return String(cString: found.pointee.gr_name)
    }
}
