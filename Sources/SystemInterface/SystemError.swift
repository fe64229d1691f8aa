import Glibc
import SystemPackage

/// A system call that failed because of its environment (a refused permission, a missing device,
/// a full socket buffer), carrying the call's name and its `errno`.
///
/// Failures that can only mean a bug in this process (EBADF, EFAULT) never become a `SystemError`:
/// `Syscall` traps on them, so systemd restarts the daemon into a safe startup.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call that failed, with its most telling argument: `"open(/dev/cpu_dma_latency)"`.
    public let call: String
    /// The `errno` value the call reported.
    public let code: CInt

    /// Makes an error for `call` failing with `code`.
    public init(call: String, code: CInt) {
        self.call = call
        self.code = code
    }

    /// `code` as swift-system's `Errno`, so callers can match it (`.connectionRefused`) without libc.
    public var errno: Errno { Errno(rawValue: code) }

    /// The symbolic name of `code` where it is one a daemon meets (`EPERM`), else `errno N`.
    public var codeName: String {
        switch code {
        case EPERM: return "EPERM"
        case ENOENT: return "ENOENT"
        case EINTR: return "EINTR"
        case EIO: return "EIO"
        case EAGAIN: return "EAGAIN"
        case ENOMEM: return "ENOMEM"
        case EACCES: return "EACCES"
        case EBUSY: return "EBUSY"
        case ENODEV: return "ENODEV"
        case EINVAL: return "EINVAL"
        case ENOSPC: return "ENOSPC"
        case EPIPE: return "EPIPE"
        case ENAMETOOLONG: return "ENAMETOOLONG"
        case ENOSYS: return "ENOSYS"
        case ECONNREFUSED: return "ECONNREFUSED"
        case ENOBUFS: return "ENOBUFS"
        case EROFS: return "EROFS"
        default: return "errno \(code)"
        }
    }

    /// The C library's sentence for `code`: `"Operation not permitted"`.
    public var reason: String {
        String(cString: strerror(code))
    }

    /// `"mlockall: EPERM (Operation not permitted)"`, for logs and startup errors.
    public var description: String {
        "\(call): \(codeName) (\(reason))"
    }
}
