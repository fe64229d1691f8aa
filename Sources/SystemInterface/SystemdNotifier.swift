import Glibc

/// The systemd notify protocol, written by hand: one datagram of `KEY=value` lines to the AF_UNIX
/// socket named by `$NOTIFY_SOCKET`. This avoids linking libsystemd and its extra libraries.
///
/// When the daemon does not run under a `Type=notify` unit the socket is unset, and every send
/// does nothing, so callers never need to check.
public struct SystemdNotifier: Sendable {
    /// One state change the service manager understands.
    public enum Message: Sendable, Equatable {
        /// Startup is finished: configuration validated and hardware opened.
        case ready
        /// A configuration reload has begun; `ready` follows when it is done.
        case reloading
        /// Shutdown has begun.
        case stopping
        /// The service needs this much longer in its current state than the unit's timeout for it
        /// (`TimeoutStopSec=` while stopping); systemd waits that long from now before it kills.
        case extendTimeout(microseconds: Int)
        /// Proof of life for `WatchdogSec=`.
        case watchdog
        /// Free text shown by `systemctl status`. Line breaks are replaced by spaces.
        case status(String)

        package var line: String {
            switch self {
            case .ready: return "READY=1"
            case .reloading: return "RELOADING=1"
            case .stopping: return "STOPPING=1"
            case .extendTimeout(let microseconds): return "EXTEND_TIMEOUT_USEC=\(microseconds)"
            case .watchdog: return "WATCHDOG=1"
            case .status(let text):
                return "STATUS=" + String(text.map { $0.isNewline ? " " : $0 })
            }
        }
    }

    /// Why the notify environment cannot be used.
    public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
        /// `$NOTIFY_SOCKET` is not an absolute path or `@` abstract name, or is too long.
        case badSocket(String)
        /// `$WATCHDOG_USEC` is not a positive whole number of microseconds.
        case badWatchdogMicroseconds(String)

        /// A sentence naming the variable and its value.
        public var description: String {
            switch self {
            case .badSocket(let value): return "NOTIFY_SOCKET=\(value) is not a usable AF_UNIX address"
            case .badWatchdogMicroseconds(let value): return "WATCHDOG_USEC=\(value) is not a positive integer"
            }
        }
    }

    /// Where notifications go, or nil when not running under a notify-aware service manager.
    public let socketAddress: UnixSocketAddress?
    /// The interval at which to send `WATCHDOG=1`: half the manager's `WATCHDOG_USEC` timeout, as
    /// sd_watchdog_enabled recommends. nil when the watchdog is off or meant for another process.
    public let watchdogIntervalMicroseconds: Int?

    /// A notifier built from the values of `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID`, given
    /// as parameters so tests can aim it at their own socket without touching the environment.
    ///
    /// - Parameters:
    ///   - notifySocket: the socket address; nil or empty disables the notifier.
    ///   - watchdogMicroseconds: the watchdog timeout; nil or empty disables the watchdog.
    ///   - watchdogPID: the process the watchdog belongs to; when set and not `processID`, the
    ///     watchdog is someone else's (a child that inherited the environment) and stays off.
    ///   - processID: this process's ID.
    public init(
        notifySocket: String?,
        watchdogMicroseconds: String? = nil,
        watchdogPID: String? = nil,
        processID: Int32 = getpid()
    ) throws(ConfigurationError) {
        if let notifySocket, !notifySocket.isEmpty {
            do {
                socketAddress = try UnixSocketAddress(notifySocket)
            } catch {
                throw .badSocket(notifySocket)
            }
        } else {
            socketAddress = nil
        }

        guard socketAddress != nil, let watchdogMicroseconds, !watchdogMicroseconds.isEmpty else {
            watchdogIntervalMicroseconds = nil
            return
        }
        guard let timeout = Int(watchdogMicroseconds), timeout > 0 else {
            throw .badWatchdogMicroseconds(watchdogMicroseconds)
        }
        if let watchdogPID, !watchdogPID.isEmpty, Int32(watchdogPID) != processID {
            watchdogIntervalMicroseconds = nil
        } else {
            watchdogIntervalMicroseconds = max(timeout / 2, 1)
        }
    }

    /// A notifier configured from this process's environment, as systemd sets it.
    public static func fromEnvironment() throws(ConfigurationError) -> SystemdNotifier {
        try SystemdNotifier(
            notifySocket: Syscall.environment("NOTIFY_SOCKET"),
            watchdogMicroseconds: Syscall.environment("WATCHDOG_USEC"),
            watchdogPID: Syscall.environment("WATCHDOG_PID")
        )
    }

    /// Whether sends reach a service manager.
    public var isEnabled: Bool { socketAddress != nil }

    /// Sends `messages` in one datagram, so the manager sees them together (`READY=1` with its
    /// `STATUS=`). Does nothing when disabled.
    ///
    /// - Throws: `SystemError` when the socket cannot be made or the datagram is refused (for
    ///   example ECONNREFUSED when the manager has gone away, or EAGAIN when it has stopped reading:
    ///   the send never waits, so a stalled manager cannot stall the daemon's main thread).
    public func send(_ messages: Message...) throws(SystemError) {
        try send(messages)
    }

    /// Sends `messages` in one datagram; see `send(_:)`.
    public func send(_ messages: [Message]) throws(SystemError) {
        guard let socketAddress, !messages.isEmpty else {
            return
        }
        let payload = Array(messages.map(\.line).joined(separator: "\n").utf8)
        // A fresh socket per send, as libsystemd does: sends are seconds apart, and no descriptor
        // has to outlive a fork or be shared between threads.
        let descriptor = try Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_DGRAM.rawValue))
        defer { Syscall.close(descriptor) }
        try payload.withUnsafeBufferPointer { bytes throws(SystemError) in
            try Syscall.send(descriptor, UnsafeRawBufferPointer(bytes), to: socketAddress)
        }
    }
}
