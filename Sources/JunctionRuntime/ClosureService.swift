import DiagnosticService
import Lifecycle
import RealTimeEngine
import SNMPAgent
import Synchronization
import UpstreamLink

/// A part of the daemon that runs once opened and is stopped through itself: the diagnostic server,
/// upstream, the neighbour link, the SNMP subagent, the watchdog feeder and the schedule driver.
protocol StoppablePart: AnyObject, Sendable {
    func stop()
}

extension DiagnosticServer: StoppablePart {}
extension UpstreamRuntime: StoppablePart {}
extension SNMPSubagent: StoppablePart {}
extension WatchdogFeeder: StoppablePart {}
extension NeighbourService: StoppablePart {}
extension ScheduleDriver: StoppablePart {}

/// A `Service` whose `start` opens the running part (nil when the configuration leaves it off) and
/// whose `stop` stops that part.
final class ClosureService<Running: StoppablePart>: Service {
    let name: String
    private let open: @Sendable () throws -> Running?
    private let current = Mutex<Running?>(nil)

    init(name: String, open: @escaping @Sendable () throws -> Running?) {
        self.name = name
        self.open = open
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
        opened?.stop()
    }
}
