import Lifecycle
import Synchronization

/// A `Service` whose `start` makes the running part (nil when the configuration leaves it off) and
/// whose `stop` stops that part: the shape of the diagnostic server, upstream, the SNMP subagent
/// and the watchdog feeder, each of which is opened with arguments and stopped through the object
/// it returns.
final class ClosureService<Running: Sendable>: Service {
    let name: String
    private let open: @Sendable () throws -> Running?
    private let close: @Sendable (Running) -> Void
    private let current = Mutex<Running?>(nil)

    init(name: String, open: @escaping @Sendable () throws -> Running?, close: @escaping @Sendable (Running) -> Void) {
        self.name = name
        self.open = open
        self.close = close
    }

    /// The running part, once `start` has made one and until `stop`.
    var running: Running? { current.withLock { $0 } }

    func start() throws {
        let opened = try open()
        current.withLock { $0 = opened }
    }

    func stop() {
        let opened = current.withLock { current in
            defer { current = nil }
            return current
        }
        if let opened { close(opened) }
    }
}
