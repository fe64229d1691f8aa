import FieldIO
import Glibc
import JunctionConfig
import Logging
import SignalCore
import Synchronization
import SystemInterface

/// The running service: the control loop on its real-time thread, and around it the systemd
/// notifications, the watchdog feeder, signal handling, fault persistence and the live view.
///
/// Lifecycle guarantees:
/// - READY=1 is sent only after the configuration is valid, the field is open and the loop has
///   completed its first tick;
/// - WATCHDOG=1 is sent only while the loop's heartbeat advances;
/// - SIGHUP reloads the configuration without holding up supervision (`ConfigReload`): the file
///   is checked in a child process first (`ConfigCheckProcess`); an invalid file keeps the running
///   plan and logs every problem; a valid one is handed over at the next stage rest, never
///   mid-clearance;
/// - SIGTERM/SIGINT drive the junction into flash by the automatic-flash rule, then exit 0;
/// - a latched safety fault is written to the state directory and restored on the next start; a
///   record that cannot be read with certainty counts as latched (`FaultStore`).
public final class JunctionDaemon: Sendable {
    /// What the service was asked to run, from the command line.
    public struct Options: Sendable {
        /// The junction file; nil runs the built-in Cirebon demo junction.
        public var configPath: String?
        /// Seed of the simulated junction's traffic.
        public var seed: UInt64
        /// Where the latched fault is kept (systemd's StateDirectory).
        public var stateDirectory: String
        /// Real-time favours asked on the command line; nil takes them from the file's `[daemon]`.
        public var realTime: RealTimeOptions?
        public var view: ViewMode
        /// Stop by itself after this many seconds (demos, tests); nil runs until signalled.
        public var runSeconds: Int?
        /// How long SIGTERM may wait for the junction to reach flash before exiting anyway.
        public var stopTimeoutSeconds: Int
        /// Where the diagnostic sockets go; nil picks `DiagnosticServer.defaultDirectory()`.
        public var runtimeDirectory: String?

        public init(
            configPath: String?, seed: UInt64 = 1, stateDirectory: String, realTime: RealTimeOptions? = nil,
            view: ViewMode, runSeconds: Int? = nil, stopTimeoutSeconds: Int = 60,
            runtimeDirectory: String? = nil
        ) {
            self.configPath = configPath
            self.seed = seed
            self.stateDirectory = stateDirectory
            self.realTime = realTime
            self.view = view
            self.runSeconds = runSeconds
            self.stopTimeoutSeconds = stopTimeoutSeconds
            self.runtimeDirectory = runtimeDirectory
        }
    }

    /// How the service shows the junction on its standard output.
    public enum ViewMode: Sendable {
        /// Redraw a coloured picture in place (a terminal).
        case live
        /// One plain line per stage or mode change (a log, a pipe).
        case lines
        case none
    }

    /// Why the service could not start, in words for the person who started it.
    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    private let options: Options
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let reloadRequested = Atomic<Bool>(false)
    private let diagnostics = Mutex<DiagnosticServer?>(nil)

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Loads the junction named by the options, or the built-in demo junction.
    public static func loadJunction(path: String?) throws(ConfigError) -> JunctionConfiguration {
        if let path {
            return try JunctionConfigLoader().load(path: path)
        }
        return try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in Cirebon demo")
    }

    /// Runs until SIGTERM/SIGINT (or `runSeconds`), and returns the process exit status.
    public func run() throws(StartupError) -> Int32 {
        do {
            try SignalWatcher.blockHandledSignals()
        } catch {
            throw StartupError(description: "cannot block signals: \(error)")
        }
        let configuration: JunctionConfiguration
        do {
            configuration = try Self.loadJunction(path: options.configPath)
        } catch {
            throw StartupError(description: "invalid configuration:\n\(error)")
        }
        let junction = configuration.junction
        let notifier: SystemdNotifier
        do {
            notifier = try SystemdNotifier.fromEnvironment()
        } catch {
            throw StartupError(description: "systemd environment: \(error)")
        }

        let faults = FaultStore(directory: options.stateDirectory)
        let record = faults.load()
        switch record {
        case .clear: break
        case .latched(let violation):
            logger.critical("a safety fault latched before the restart is still in force: \(violation)")
        case .doubtful(let reason):
            logger.critical(
                "cannot tell whether a safety fault is latched: the record \(faults.path) \(reason); treated as latched, flash until a technician resets it")
        }
        let restored = record.fault(path: faults.path)
        let field: FieldFactory.Field
        do {
            field = try FieldFactory.open(configuration, seed: options.seed, logger: logger)
        } catch {
            throw StartupError(description: "cannot open the field: \(error)")
        }
        let engine = JunctionEngine(
            junction: junction, inputs: field.inputs, outputs: field.outputs, adaptive: configuration.adaptive,
            restoredFault: restored)

        let loop: RealTimeLoop
        let grant: RealTimeGrant
        do {
            let settings = configuration.daemon
            let realTime = options.realTime ?? RealTimeOptions(
                fifoPriority: settings.fifoPriority, lockMemory: settings.lockMemory,
                timerSlackNanoseconds: settings.timerSlackNanoseconds,
                holdCPUDMALatencyZero: settings.holdCPUDMALatencyZero)
            loop = try RealTimeLoop(options: realTime, logger: logger)
            let stuckReadBack = Self.testStuckReadBack(field.outputs)
            grant = try loop.start { tick in
                // On the loop's own thread: the simulated field is driven from this thread only.
                if let (simulated, afterTicks) = stuckReadBack, tick == afterTicks {
                    simulated.inject(.readBackStuck(group: 0, state: .dark))
                }
                engine.tick(Tenths(tick) + 1)
            }
        } catch {
            throw StartupError(description: "cannot start the control loop: \(error)")
        }
        logger.info("control loop running: \(grant.summary)")
        waitForFirstTick(engine)
        let server = startDiagnostics(configuration: configuration, engine: engine, loop: loop)
        diagnostics.withLock { $0 = server }
        let upstream: UpstreamRuntime?
        do {
            upstream = try UpstreamRuntime.start(
                configuration: configuration, configPath: options.configPath, engine: engine, loop: loop,
                stateDirectory: options.stateDirectory, logger: logger)
        } catch {
            throw StartupError(description: "\(error)")
        }
        let snmp: SNMPSubagent?
        do {
            snmp = try SNMPSubagent.start(configuration: configuration, engine: engine, logger: logger)
        } catch {
            throw StartupError(description: "\(error)")
        }
        if let snmp { server?.attachService { snmp.counters().serviceReport } }
        if let upstream { server?.attachService { upstream.serviceReport() } }

        let watcher = SignalWatcher(logger: logger) { [self] event in
            switch event {
            case .reload: reloadRequested.store(true, ordering: .relaxed)
            case .terminate: stopRequested.store(true, ordering: .relaxed)
            }
        }
        var feeder: WatchdogFeeder?
        do {
            try watcher.start()
            if let interval = notifier.watchdogIntervalMicroseconds {
                let watchdog = try WatchdogFeeder(loop: loop, notifier: notifier, logger: logger)
                // The notifier already halves WATCHDOG_USEC.
                try watchdog.start(intervalMicroseconds: interval)
                feeder = watchdog
            }
            try notifier.send(.ready, .status("running \(junction.name): \(configuration.summary)"))
        } catch {
            throw StartupError(description: "cannot start the service threads: \(error)")
        }
        logger.notice("junctiond ready: \(junction.name), \(junction.groups.count) groups, \(junction.detectors.count) detectors")

        supervise(
            engine: engine, loop: loop, notifier: notifier,
            faults: FaultRecorder(store: faults, restored: restored, logger: logger))

        // Leave the junction in its safe state before exiting.
        _ = engine.mailbox.post(.flash(on: true, reason: .automatic))
        try? notifier.send(.stopping, .status("entering flash before stopping"))
        let reachedFlash = waitForFlash(engine)
        if reachedFlash {
            let final = engine.board.withLock { $0.status.detached() }
            if options.view != .none {
                print(JunctionConsoleView(junction: engine.junction, colour: false).logLine(final))
                fflush(nil)
            }
            logger.notice("junction in flash; stopping")
        } else {
            logger.error("junction did not reach flash within \(options.stopTimeoutSeconds) s; stopping anyway")
        }
        snmp?.stop()
        upstream?.stop()
        feeder?.stop()
        watcher.stop()
        diagnostics.withLock { $0 }?.stop()
        loop.stop()
        return 0
    }

    // MARK: - Supervision (the main thread, about five times a second)

    private func supervise(
        engine: JunctionEngine, loop: RealTimeLoop, notifier: SystemdNotifier, faults: FaultRecorder
    ) {
        let view = JunctionConsoleView(junction: engine.junction, colour: options.view == .live)
        let started = Syscall.monotonicNanoseconds()
        var previous: ControllerStatus?
        var faults = faults
        let checker = ConfigCheckProcess()
        defer { checker.stop() }
        var reload = options.configPath.map { path in
            ConfigReload(path: path, engine: engine, logger: logger) { path in
                if case .invalid(let report) = checker.check(path) { return .failure(.init(report: report)) }
                do {
                    return .success(try Self.loadJunction(path: path))
                } catch {
                    // Changed between the check and this read.
                    return .failure(.init(report: "\(error)"))
                }
            }
        }
        var lastStatusLine = ""
        var latenessWindow = LatenessWindow(loop: loop)
        let stallAfterTicks = Self.testStallAfterTicks()
        if options.view == .live { print("\u{1B}[2J", terminator: "") }

        while !stopRequested.load(ordering: .relaxed) {
            usleep(200_000)
            if let runSeconds = options.runSeconds,
                Syscall.monotonicNanoseconds() - started >= runSeconds * 1_000_000_000
            {
                break
            }
            let (status, ticks) = engine.board.withLock { ($0.status.detached(), $0.ticks) }
            if let stallAfterTicks, ticks >= stallAfterTicks, !loop.isHeldForTesting {
                logger.warning("test hook: stalling the control loop after \(ticks) ticks")
                loop.holdForTesting()
            }
            let now = Syscall.monotonicNanoseconds()
            if reloadRequested.exchange(false, ordering: .relaxed) {
                if reload == nil { logger.notice("SIGHUP ignored: the demo runs the built-in junction") }
                reload?.request()
            }
            reload?.advance(now: now) { reloading in
                try? notifier.send(reloading ? .reloading : .ready)
            } applied: { configuration in
                diagnostics.withLock { $0 }?.configurationApplied(configuration)
            }
            faults.record(status.fault)
            show(status, previous: previous, view: view)
            let line = "\(status.mode.name), stage \(status.stage.map { engine.junction.stages[$0].name } ?? "-")"
            if line != lastStatusLine {
                try? notifier.send(.status(line))
                lastStatusLine = line
            }
            previous = status
            if logger.logLevel <= .debug { latenessWindow.logIfDue(logger) }
        }
    }

    private func show(_ status: ControllerStatus, previous: ControllerStatus?, view: JunctionConsoleView) {
        switch options.view {
        case .live:
            print(view.redraw(status), terminator: "")
            fflush(nil)
        case .lines:
            if JunctionConsoleView.isStageChange(from: previous, to: status) {
                print(view.logLine(status))
                fflush(nil)
            }
        case .none:
            break
        }
    }

    // MARK: - Diagnostics

    /// Opens the diagnostic sockets and starts their thread. A failure is logged, not fatal: the
    /// junction is better run without its diagnostic sockets than not at all.
    private func startDiagnostics(
        configuration: JunctionConfiguration, engine: JunctionEngine, loop: RealTimeLoop
    ) -> DiagnosticServer? {
        let directory = options.runtimeDirectory ?? DiagnosticServer.defaultDirectory()
        do {
            let server = try DiagnosticServer(
                options: DiagnosticServer.Options(directory: directory, settings: configuration.diagnostics),
                engine: engine, loop: loop, configuration: configuration,
                source: options.configPath ?? "built-in Cirebon demo",
                fieldBackends: DiagnosticServer.FieldBackendNames(
                    detectors: configuration.field.detectors.rawValue, outputs: configuration.field.outputs.rawValue),
                logger: logger)
            try server.start()
            return server
        } catch {
            logger.error("\(error); the junction runs without its diagnostic sockets")
            return nil
        }
    }

    // MARK: - Waiting

    private func waitForFirstTick(_ engine: JunctionEngine) {
        while engine.board.withLock({ $0.ticks }) == 0 { usleep(5_000) }
    }

    private func waitForFlash(_ engine: JunctionEngine) -> Bool {
        let deadline = Syscall.monotonicNanoseconds() + options.stopTimeoutSeconds * 1_000_000_000
        while Syscall.monotonicNanoseconds() < deadline {
            switch engine.board.withLock({ $0.status.mode }) {
            case .flash, .fault: return true
            default: usleep(50_000)
            }
        }
        return false
    }

    /// The latch-chain test makes group 0's read-back go dark after this many ticks, a real
    /// read-back mismatch for the monitor to latch; only with the simulated field and this variable set.
    private static func testStuckReadBack(_ outputs: SignalOutputs) -> (SimulatedJunction, Int)? {
        guard let text = getenv("JUNCTIOND_TEST_READBACK_DARK_AFTER_TICKS"), let ticks = Int(String(cString: text)),
            let simulated = outputs as? SimulatedJunction
        else { return nil }
        return (simulated, ticks)
    }

    /// The watchdog test stalls the loop on purpose; only when this variable is set.
    private static func testStallAfterTicks() -> UInt64? {
        guard let text = getenv("JUNCTIOND_TEST_STALL_AFTER_TICKS") else { return nil }
        return UInt64(String(cString: text))
    }
}
