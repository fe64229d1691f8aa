import Diagnostics
import Glibc
import JunctionConfig
import Logging
import RealTimeEngine
import Synchronization
import SystemInterface

/// The technicians' diagnostic service: two Unix stream sockets in the runtime directory, served
/// by one event-loop thread of its own, never the control loop's.
///
/// - `junctiond.sock` (mode 0660, the read group) serves read commands only;
///   `junctiond-control.sock` (mode 0660, the admin group) serves read and control commands.
///   SO_PEERCRED on every connection decides what it may do (`AccessPolicy`), whatever the file
///   modes allowed, and every control command is written to the event journal with the peer's uid.
/// - It reads the engine only by copying from `board` under its lock (at most once per tick) and
///   changes it only through `mailbox`, so the tick never waits on a client.
/// - Every input is bounded: a cap on clients (with slots kept for admins, `ClientSlots`), a
///   line-length limit, timeouts for stalled lines, connections that send no request and readers
///   that stop reading; errors are answered with a JSON error line, and nothing is dropped without
///   being counted in `status`.
/// - The runtime directory is used only when nobody else can change it (`PrivateDirectory`).
public final class DiagnosticServer: Sendable {
    /// Where the sockets live, who may use them, and the bounds.
    public struct Options: Sendable {
        /// The runtime directory (`$RUNTIME_DIRECTORY`, `/run/junctiond` or `/tmp/junctiond-$UID`).
        public var directory: String
        public var settings: DiagnosticsSettings
        /// A connection that sends no request for this long (and has no subscription) is closed;
        /// blank lines do not count, or they would hold a client slot forever.
        public var idleTimeoutMilliseconds = Options.testIdleTimeoutMilliseconds() ?? 300_000
        /// A line must be complete this long after its first byte arrived.
        public var lineTimeoutMilliseconds = 10_000
        /// A client whose queued output makes no progress for this long is closed.
        public var writeTimeoutMilliseconds = 30_000
        /// How long a control request may wait for the control loop's answer.
        public var controlTimeoutMilliseconds = 2_000
        /// Output queued for one client beyond this closes it as a slow consumer.
        public var maxQueuedOutputBytes = 1 << 20
        /// Slots beyond `settings.maxClients` that only peers allowed to control, on the control
        /// socket, may take: readers who fill every ordinary slot never lock an admin out.
        public var reservedControlSlots = 4
        /// The clock of every timeout above; tests hand in a `ManualClock`.
        package var clock: any MonotonicClock = SystemClock()

        public init(directory: String, settings: DiagnosticsSettings) {
            self.directory = directory
            self.settings = settings
        }

        /// The system tests shorten the idle timeout through `JUNCTIOND_TEST_IDLE_TIMEOUT_MS`
        /// (100–300000) rather than wait five minutes; only tests set it, and anything else in it
        /// is ignored.
        private static func testIdleTimeoutMilliseconds() -> Int? {
            guard let text = Syscall.environment("JUNCTIOND_TEST_IDLE_TIMEOUT_MS"), let value = Int(text),
                (100...300_000).contains(value)
            else { return nil }
            return value
        }

        /// The read-only socket's path.
        public var readSocketPath: String { directory + "/" + DiagnosticProtocol.readSocketName }
        /// The control socket's path.
        public var controlSocketPath: String { directory + "/" + DiagnosticProtocol.controlSocketName }
    }

    /// Why the server could not start, in words for the log.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The runtime directory a daemon uses when none is given: systemd's `$RUNTIME_DIRECTORY`,
    /// then `/run/junctiond` when it exists and is writable, else `/tmp/junctiond-$UID` for demos.
    public static func defaultDirectory() -> String {
        if let directory = Syscall.environment("RUNTIME_DIRECTORY") {
            // systemd lists several directories separated by colons when a unit names several.
            let first = directory.split(separator: ":").first.map(String.init)
            if let first, !first.isEmpty { return first }
        }
        if Syscall.mayCreateFiles(in: DiagnosticProtocol.serviceRuntimeDirectory) {
            return DiagnosticProtocol.serviceRuntimeDirectory
        }
        return DiagnosticProtocol.demoRuntimeDirectory(uid: Syscall.userID())
    }

    package let options: Options
    package let policy: AccessPolicy
    private let engine: JunctionEngine
    private let loop: RealTimeLoop
    private let fieldBackends: FieldBackendNames
    private let logger: Logger
    private let listeners: [DiagnosticListener]
    private let wake: WakePipe
    private let stopRequested = Atomic<Bool>(false)
    private let thread = Mutex<PosixThread?>(nil)
    private let services = Mutex<[@Sendable () -> StatusReport.Service]>([])
    private let configuration: Mutex<(version: Int, value: JunctionConfiguration, source: String)>

    /// The backends the daemon opened, by name (`simulated`, `gpio`, `modbus`, `sumo`), for status.
    public struct FieldBackendNames: Sendable {
        public var detectors: String
        public var outputs: String

        public init(detectors: String, outputs: String) {
            self.detectors = detectors
            self.outputs = outputs
        }
    }

    /// Opens both sockets; nothing is served until `start`.
    ///
    /// - Parameters:
    ///   - configuration: the junction running now and the daemon's settings, for `config` and names.
    ///   - source: the junction file's path, or a label for the built-in junction.
    public init(
        options: Options, engine: JunctionEngine, loop: RealTimeLoop, configuration: JunctionConfiguration,
        source: String, fieldBackends: FieldBackendNames, logger: Logger
    ) throws(StartError) {
        self.options = options
        self.engine = engine
        self.loop = loop
        self.fieldBackends = fieldBackends
        self.logger = logger
        self.configuration = Mutex((0, configuration, source))
        let settings = options.settings
        let readGroup = AccessPolicy.Group(name: settings.readGroup, gid: Syscall.groupID(named: settings.readGroup))
        let adminGroup = AccessPolicy.Group(name: settings.adminGroup, gid: Syscall.groupID(named: settings.adminGroup))
        policy = AccessPolicy(readGroup: readGroup, adminGroup: adminGroup, daemonUID: Syscall.userID())
        for group in [readGroup, adminGroup] where group.gid == nil {
            logger.warning(
                """
                diagnostics: group \(group.name) does not exist; it grants nothing (root and the daemon's user still \
                can). The junctiond package's sysusers file makes it (systemd-sysusers)
                """)
        }
        do {
            // Others need to reach the sockets (the sockets' own modes and SO_PEERCRED do the
            // gating), but nobody else may change the directory, or they could swap the sockets.
            try PrivateDirectory.prepare(options.directory, mode: 0o755)
        } catch {
            throw StartError(description: "diagnostics: \(error)")
        }
        do throws(SystemError) {
            wake = try WakePipe()
        } catch {
            throw StartError(description: "diagnostics: cannot make the wake pipe: \(error)")
        }
        var opened: [DiagnosticListener] = []
        // Room for a burst of connections to be turned away with `busy` rather than left hanging.
        let backlog = CInt(clamping: max(settings.maxClients * 2, 64))
        for (path, socket, gid) in [
            (options.readSocketPath, AccessPolicy.Socket.read, readGroup.gid),
            (options.controlSocketPath, AccessPolicy.Socket.control, adminGroup.gid),
        ] {
            do {
                let (listener, warning) = try DiagnosticListener.open(path: path, socket: socket, gid: gid, backlog: backlog)
                if let warning { logger.warning("diagnostics: \(warning)") }
                opened.append(listener)
            } catch {
                for listener in opened { listener.close() }
                throw StartError(description: "diagnostics: \(error.description)")
            }
        }
        listeners = opened
    }

    /// Starts serving on the server's own thread.
    public func start() throws(StartError) {
        let context = DiagnosticEventLoop.Context(
            options: options, policy: policy, engine: engine, loop: loop, fieldBackends: fieldBackends,
            listeners: listeners, wake: wake, logger: logger, server: self)
        do {
            let serving = try PosixThread(name: "junction-diag") { [self] in
                DiagnosticEventLoop(context: context).run { stopRequested.load(ordering: .acquiring) }
            }
            thread.withLock { $0 = serving }
        } catch {
            throw StartError(description: "diagnostics: cannot start the server thread: \(error)")
        }
        logger.info(
            "diagnostics: serving \(options.readSocketPath) (group \(options.settings.readGroup)) and \(options.controlSocketPath) (group \(options.settings.adminGroup)), at most \(options.settings.maxClients) clients and \(options.reservedControlSlots) more for control")
    }

    /// Stops serving: closes every connection and both sockets and removes the socket files.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake.wake()
        let serving = thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        serving?.join()
        for listener in listeners { listener.close() }
    }

    /// Adds a side service to every status report from now on; `report` is called on the
    /// server's thread for each report, so it must only copy counters.
    public func attachService(_ report: @escaping @Sendable () -> StatusReport.Service) {
        services.withLock { $0.append(report) }
    }

    /// The reports of the attached side services, in the order they were attached.
    package func serviceReports() -> [StatusReport.Service] {
        services.withLock { $0 }.map { $0() }
    }

    /// Tells the server that a reload was applied: names and `config` follow the new junction.
    public func configurationApplied(_ configuration: JunctionConfiguration) {
        self.configuration.withLock { $0 = ($0.version + 1, configuration, $0.source) }
    }

    /// The configuration now, if its version is newer than `version`.
    package func configuration(newerThan version: Int) -> (version: Int, value: JunctionConfiguration, source: String)? {
        configuration.withLock { $0.version > version || version < 0 ? $0 : nil }
    }
}
