import Glibc
import Logging
import Synchronization
import SystemInterface

/// A real AF_UNIX datagram socket bound in a fresh temporary directory (or in the abstract
/// namespace), standing where systemd's notify socket would.
package final class NotifySocketListener {
    package let address: String
    private let descriptor: CInt
    private let directory: String?

    package init(abstract: Bool = false) throws {
        descriptor = try Syscall.socket(domain: AF_UNIX, type: CInt(SOCK_DGRAM.rawValue))
        if abstract {
            directory = nil
            address = "@junction-notify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        } else {
            var template = Array("/tmp/junction-notify-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else {
                throw SystemError(call: "mkdtemp", code: errno)
            }
            directory = String(cString: made)
            address = directory! + "/notify"
        }
        try Syscall.bind(descriptor, to: UnixSocketAddress(address))
    }

    deinit {
        Syscall.close(descriptor)
        if let directory {
            unlink(address)
            rmdir(directory)
        }
    }

    /// The next datagram as text, or nil if none arrives within `timeoutMilliseconds`.
    package func receive(timeoutMilliseconds: CInt = 5_000) throws -> String? {
        guard try Syscall.waitReadable(descriptor, timeoutMilliseconds: timeoutMilliseconds) else {
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = try buffer.withUnsafeMutableBytes { bytes in
            try Syscall.receive(descriptor, into: bytes, flags: CInt(MSG_DONTWAIT))
        }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// A log handler that keeps every line it is given, so tests can check what was logged.
package struct CapturingLogHandler: LogHandler {
    package final class Store: Sendable {
        package let lines = Mutex<[String]>([])
        package var all: [String] { lines.withLock { $0 } }
    }

    package let store: Store
    package var logLevel: Logger.Level = .trace
    package var metadata: Logger.Metadata = [:]

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        store.lines.withLock { $0.append("\(event.level) \(event.message) \(fields.joined(separator: " "))") }
    }

    package static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in CapturingLogHandler(store: store) }, store)
    }
}

/// Waits for `condition` to hold, checking every millisecond, for at most `timeoutMilliseconds`.
/// This waits for an event another thread causes; it never stands in for timing logic.
package func eventually(timeoutMilliseconds: Int = 5_000, _ condition: () -> Bool) -> Bool {
    let deadline = Clocks.monotonicNanoseconds() + timeoutMilliseconds * 1_000_000
    while !condition() {
        if Clocks.monotonicNanoseconds() > deadline {
            return false
        }
        Syscall.sleepUntil(monotonicNanoseconds: Clocks.monotonicNanoseconds() + 1_000_000)
    }
    return true
}
