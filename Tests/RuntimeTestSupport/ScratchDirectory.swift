import Glibc
import SystemInterface

/// A fresh directory under /tmp, removed with everything in it when the value goes.
package final class ScratchDirectory {
    package let path: String

    package init() throws {
        var template = Array("/tmp/junction-state-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError(call: "mkdtemp", code: errno) }
        path = String(cString: made)
    }

    deinit {
        chmod(path, 0o700)
        _ = system("rm -rf '\(path)'")
    }

    package func write(_ name: String, _ text: String) throws {
        let descriptor = try Syscall.open(path + "/" + name, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        defer { Syscall.close(descriptor) }
        try Syscall.writeAll(descriptor, Array(text.utf8))
    }
}
