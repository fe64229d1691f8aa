import DiagnosticService
import Diagnostics
import FieldIO
import Glibc
import JunctionConfig
import Lifecycle
import Logging
import RealTimeEngine
import SNMPAgent
import SignalCore
import Synchronization
import SystemInterface
import UpstreamLink

/// The running service: the control loop on its real-time thread, and around it the systemd
/// notifications, the watchdog feeder, signal handling, fault persistence and the live view.
///
/// Lifecycle guarantees:
/// - READY=1 is sent only after the configuration is valid, the field is open, the loop has
///   completed its first tick and every other service has started;
/// - a service that cannot start stops those started before it, in reverse order, and the loop is
///   brought to flash and stopped: the daemon exits 1 with nothing left running;
/// - WATCHDOG=1 is sent only while the loop's heartbeat advances;
/// - SIGHUP reloads the configuration without holding up supervision (`ConfigReload`): the file
///   is read and checked on a thread of its own (`ConfigReload`); an invalid file keeps the running
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
        /// Where the diagnostic sockets go; nil picks `DiagnosticServer.defaultDirectory()`.
        public var runtimeDirectory: String?

        public init(
            configPath: String?, seed: UInt64 = 1, stateDirectory: String, realTime: RealTimeOptions? = nil,
            view: ViewMode, runSeconds: Int? = nil, runtimeDirectory: String? = nil
        ) {
            self.configPath = configPath
            self.seed = seed
            self.stateDirectory = stateDirectory
            self.realTime = realTime
            self.view = view
            self.runSeconds = runSeconds
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

    /// The state directory: `given` (`--state-directory`), else systemd's StateDirectory when run
    /// as a service, else a private folder under /tmp for demos, made if missing and refused when
    /// another user made it first (they could plant or remove a latched fault).
    ///
    /// A directory named by the operator or by systemd must already exist as a directory: a typo
    /// or a FIFO there used to start the junction with nowhere to latch a safety fault or keep the
    /// upstream replay state (every poll then went unanswered), or put it in flash as if a fault
    /// were latched. It is not made here, so a mistyped path is refused rather than used.
    public static func stateDirectory(given: String?) throws(PrivateDirectory.Refusal) -> String {
        guard let directory = given ?? Syscall.environment("STATE_DIRECTORY") else {
            let fallback = DiagnosticProtocol.demoRuntimeDirectory(uid: Syscall.userID())
            try PrivateDirectory.prepare(fallback, mode: 0o700)
            return fallback
        }
        guard !directory.isEmpty else { throw PrivateDirectory.Refusal(description: "the path is empty") }
        let status: stat?
        do {
            status = try Syscall.status(directory)
        } catch {
            throw PrivateDirectory.Refusal(description: "cannot use \(directory): \(error)")
        }
        guard let status else { throw PrivateDirectory.Refusal(description: "\(directory) does not exist") }
        if status.st_mode & S_IFMT != S_IFDIR {
            throw PrivateDirectory.Refusal(
                description: "\(directory) is \(JunctionFile.kind(status.st_mode)), not a directory")
        }
        // The latched fault lives here: a directory others may write to would let them remove it, or
        // plant what its replacement is opened on. A symbolic link to a trusted directory (a data
        // partition) is followed.
        let owner = UInt32(status.st_uid)
        if let problem = DirectoryTrust.problem(
            path: directory, mode: UInt32(status.st_mode), owner: owner, ownerName: Syscall.userName(owner),
            trusted: [Syscall.effectiveUserID(), 0])
        {
            throw PrivateDirectory.Refusal(description: problem)
        }
        return directory
    }

    /// Runs until SIGTERM/SIGINT (or `runSeconds`), and returns the process exit status.
    ///
    /// The control loop starts first, on its own thread; the other services then start in order
    /// (`DaemonServices`). If one of them cannot start, those already running are stopped in reverse
    /// order and the loop is brought to flash and stopped before the error is thrown: a failed start
    /// leaves nothing running.
    public func run() throws(StartupError) -> Int32 {
        try startup("cannot block signals") { try SignalWatcher.blockHandledSignals() }
        let configuration = try startup("invalid configuration:\n") { try Self.loadJunction(path: options.configPath) }
        let notifier = try startup("systemd environment") { try SystemdNotifier.fromEnvironment() }
        let faults = FaultStore(directory: options.stateDirectory)
        let restored = restoredFault(faults)
        var faultRecorder = FaultRecorder(store: faults, restored: restored, logger: logger)
        faultRecorder.probeAtStart()
        let field = try startup("cannot open the field") {
            try FieldFactory.open(configuration, seed: options.seed, logger: logger)
        }
        let engine = JunctionEngine(
            junction: configuration.junction, inputs: field.inputs, outputs: field.outputs,
            adaptive: configuration.adaptive, restoredFault: restored, neighbours: configuration.neighbours,
            tickStallLimitNanoseconds: configuration.daemon.tickStallLimitMilliseconds * 1_000_000)
        let loop = try startLoop(configuration: configuration, engine: engine, outputs: field.outputs)
        let services = makeServices(configuration: configuration, engine: engine, loop: loop, notifier: notifier)
        do {
            try services.group.start()
            services.attachReports(faultRecord: faultRecorder.health)
            try notifier.send(.ready, .status("running \(configuration.junction.name): \(configuration.summary)"))
        } catch {
            _ = shutDown(engine: engine, loop: loop, services: services.group, after: .failedStart(configuration.junction))
            throw StartupError(description: "\(error)")
        }
        let junction = configuration.junction
        logger.notice("junctiond ready: \(junction.name), \(junction.groups.count) groups, \(junction.detectors.count) detectors")

        let (inForce, mayHaveTaken) = supervise(
            engine: engine, loop: loop, notifier: notifier, services: services,
            faults: faultRecorder)
        let reachedFlash = shutDown(
            engine: engine, loop: loop, services: services.group,
            after: .running(notifier, inForce: inForce, mayHaveTaken: mayHaveTaken))
        return reachedFlash ? 0 : Self.exitStoppedWithoutFlash
    }

    /// The exit status of a stop that gave up waiting for flash: systemd records the stop as failed.
    public static let exitStoppedWithoutFlash: Int32 = 3

    // MARK: - Startup

    /// Runs one startup step; its failure becomes a `StartupError` beginning with `what`.
    private func startup<Value, Failure: Error>(
        _ what: String, _ step: () throws(Failure) -> Value
    ) throws(StartupError) -> Value {
        do {
            return try step()
        } catch {
            let separator = what.hasSuffix("\n") ? "" : ": "
            throw StartupError(description: "\(what)\(separator)\(error)")
        }
    }

    /// The fault latched before the restart, if any; a record that cannot be read counts as latched.
    private func restoredFault(_ faults: FaultStore) -> SafetyViolation? {
        let record = faults.load()
        switch record {
        case .clear: break
        case .latched(let violation):
            logger.critical("a safety fault latched before the restart is still in force: \(violation)")
        case .doubtful(let reason):
            logger.critical(
                "cannot tell whether a safety fault is latched: the record \(faults.path) \(reason); treated as latched, flash until a technician resets it")
        }
        return record.fault(path: faults.path)
    }

    /// Starts the control loop on its real-time thread and waits for its first tick.
    private func startLoop(
        configuration: JunctionConfiguration, engine: JunctionEngine, outputs: sending SignalOutputs
    ) throws(StartupError) -> RealTimeLoop {
        let settings = configuration.daemon
        let realTime = options.realTime ?? RealTimeOptions(
            fifoPriority: settings.fifoPriority, lockMemory: settings.lockMemory,
            timerSlackNanoseconds: settings.timerSlackNanoseconds,
            holdCPUDMALatencyZero: settings.holdCPUDMALatencyZero)
        let stuckReadBack = Self.testStuckReadBack(outputs)
        let loop: RealTimeLoop
        let grant: RealTimeGrant
        do {
            loop = try RealTimeLoop(options: realTime, logger: logger)
            grant = try loop.start { tick in
                // On the loop's own thread: the simulated field is driven from this thread only.
                if let (simulated, afterTicks) = stuckReadBack, tick == afterTicks {
                    simulated.inject(.readBackStuck(group: 0, state: .dark))
                }
                engine.tick(Tenths(tick) + 1, wakeDelayNanoseconds: loop.wakeDelayNanoseconds)
            }
        } catch {
            throw StartupError(description: "cannot start the control loop: \(error)")
        }
        logger.info("control loop running: \(grant.summary)")
        while engine.board.withLock({ $0.ticks }) == 0 { Syscall.sleep(milliseconds: 5) }
        return loop
    }

    /// The services around the loop, not started yet; the signal watcher raises this daemon's flags.
    private func makeServices(
        configuration: JunctionConfiguration, engine: JunctionEngine, loop: RealTimeLoop, notifier: SystemdNotifier
    ) -> DaemonServices {
        let signals = SignalWatcher { [self] event, signalName in
            // The request is raised before it is logged, so it holds even if the log cannot be written.
            switch event {
            case .reload: reloadRequested.store(true, ordering: .relaxed)
            case .terminate: stopRequested.store(true, ordering: .relaxed)
            case .ignored: break
            }
            logger.notice("signal received", metadata: ["signal": "\(signalName)", "event": "\(event)"])
        }
        let context = DaemonServices.Context(
            configuration: configuration, configPath: options.configPath, stateDirectory: options.stateDirectory,
            runtimeDirectory: options.runtimeDirectory ?? DiagnosticServer.defaultDirectory(), engine: engine,
            loop: loop, notifier: notifier, logger: logger)
        return DaemonServices(context, signals: signals)
    }

    // MARK: - Stopping

    /// What the daemon is leaving, and the junction in force.
    private enum Leaving {
        /// A run that sent READY=1; systemd hears STOPPING=1 and the last state is printed.
        /// `mayHaveTaken`: reloaded junctions the loop may have taken since the supervisor last
        /// looked (once flash is asked for it takes none).
        case running(SystemdNotifier, inForce: Junction, mayHaveTaken: [Junction])
        /// A start that failed part-way.
        case failedStart(Junction)
    }

    /// Leaves the junction in flash with the services still answering, then stops the services
    /// (those still running, newest first) and last the loop. Returns whether flash was reached.
    private func shutDown(
        engine: JunctionEngine, loop: RealTimeLoop, services: ServiceGroup, after leaving: Leaving
    ) -> Bool {
        _ = engine.mailbox.post(.flash(on: true, reason: .automatic))
        let junction: Junction
        let limitSeconds: Int
        switch leaving {
        case .running(let notifier, let inForce, let mayHaveTaken):
            junction = inForce
            limitSeconds = mayHaveTaken.map(Self.stopLimitSeconds).reduce(Self.stopLimitSeconds(inForce), max)
            // systemd's stop timeout is the unit's, whatever the file; a file whose flash entry takes
            // longer than it asks for its own wait, so the junction is not killed short of flash.
            try? notifier.send(
                .stopping, .extendTimeout(microseconds: (limitSeconds + Self.stopServicesSeconds) * 1_000_000),
                .status("entering flash before stopping"))
        case .failedStart(let starting):
            junction = starting
            limitSeconds = Self.stopLimitSeconds(starting)
        }
        let reached = waitForFlash(engine, limitSeconds: limitSeconds)
        if reached {
            if case .running = leaving, options.view != .none {
                let final = engine.board.withLock { $0.status.detached() }
                print(JunctionConsoleView(junction: junction, colour: false).logLine(final))
                Syscall.flushStandardStreams()
            }
            logger.notice("junction in flash; stopping")
        } else {
            logger.error("junction did not reach flash within \(limitSeconds) s; stopping anyway")
        }
        services.stop()
        loop.stop()
        return reached
    }

    /// How long a stop waits for flash: the junction's longest flash entry (a bound the safety
    /// property tests hold every flash request to), 10 s more for a loaded board, and at least a
    /// minute, so a file with long minimum greens or walks is not cut short.
    static func stopLimitSeconds(_ junction: Junction) -> Int {
        max(60, (junction.longestFlashEntry + 9) / 10 + 10)
    }

    /// How long stopping the services and the loop, and flushing the log, may take after flash.
    static let stopServicesSeconds = 20

    // MARK: - Supervision (the main thread, about five times a second)

    /// Runs until SIGTERM or `--run-seconds`; returns the junction in force then, and the reloaded
    /// ones the loop may have taken without the supervisor knowing yet.
    private func supervise(
        engine: JunctionEngine, loop: RealTimeLoop, notifier: SystemdNotifier,
        services: DaemonServices, faults: FaultRecorder
    ) -> (inForce: Junction, mayHaveTaken: [Junction]) {
        // The junction the statuses read refer to. The engine's own is the loop thread's (a reload swaps
        // it there); this one follows it when a reload is reported applied, a tick after the engine
        // published the first status of the new junction. A status is shown only when it was
        // published under as many applied reloads as this side has followed.
        var junction = engine.junction
        var reloadsFollowed = engine.board.withLock { $0.counters.reloadsApplied }
        var view = JunctionConsoleView(junction: junction, colour: options.view == .live)
        let started = Clocks.monotonicNanoseconds()
        var previous: ControllerStatus?
        var faults = faults
        var reload = options.configPath.map { path in
            ConfigReload(path: path, engine: engine, logger: logger) { path in
                let configuration: JunctionConfiguration
                do {
                    configuration = try Self.loadJunction(path: path)
                } catch {
                    return .failure(.init(report: "\(error)"))
                }
                // Taken in, the file would be the one the next restart fails on.
                let problems = StartupReadiness.problems(of: configuration)
                guard problems.isEmpty else {
                    let reasons = problems.map(\.description).joined(separator: "; ")
                    return .failure(.init(report: "\(path): junctiond could not start with it: \(reasons)"))
                }
                return .success(configuration)
            }
        }
        var lastStatusLine = ""
        var latenessWindow = LatenessWindow(loop: loop)
        let stallAfterTicks = Self.testStallAfterTicks()
        if options.view == .live { print("\u{1B}[2J", terminator: "") }

        while !stopRequested.load(ordering: .relaxed) {
            Syscall.sleep(milliseconds: 200)
            if let runSeconds = options.runSeconds,
                Clocks.monotonicNanoseconds() - started >= runSeconds * 1_000_000_000
            {
                break
            }
            let (status, ticks, reloadsApplied) = engine.board.withLock {
                ($0.status.detached(), $0.ticks, $0.counters.reloadsApplied)
            }
            if let stallAfterTicks, ticks >= stallAfterTicks, !loop.isHeldForTesting {
                logger.warning("test hook: stalling the control loop after \(ticks) ticks")
                loop.holdForTesting()
            }
            let now = Clocks.monotonicNanoseconds()
            if reloadRequested.exchange(false, ordering: .relaxed) {
                if reload == nil { logger.notice("SIGHUP ignored: the demo runs the built-in junction") }
                reload?.request()
            }
            reload?.advance(now: now) { reloading in
                try? notifier.send(reloading ? .reloading : .ready)
            } applied: { configuration in
                services.configurationApplied(configuration, logger: logger)
                junction = configuration.junction
                view = JunctionConsoleView(junction: junction, colour: options.view == .live)
                reloadsFollowed += 1
                previous = nil
            }
            faults.record(status.fault)
            guard reloadsApplied == reloadsFollowed else { continue }
            show(status, previous: previous, view: view)
            let stage = status.stage.flatMap { junction.stages.indices.contains($0) ? junction.stages[$0].name : nil }
            let line = "\(status.mode.name), stage \(stage ?? "-")"
            if line != lastStatusLine {
                try? notifier.send(.status(line))
                lastStatusLine = line
            }
            previous = status
            if logger.logLevel <= .debug { latenessWindow.logIfDue(logger) }
        }
        return (junction, reload?.junctionsTheLoopMayHaveTaken ?? [])
    }

    private func show(_ status: ControllerStatus, previous: ControllerStatus?, view: JunctionConsoleView) {
        switch options.view {
        case .live:
            print(view.redraw(status), terminator: "")
            Syscall.flushStandardStreams()
        case .lines:
            if JunctionConsoleView.isStageChange(from: previous, to: status) {
                print(view.logLine(status))
                Syscall.flushStandardStreams()
            }
        case .none:
            break
        }
    }

    // MARK: - Waiting

    /// Waits until the lamps flash; the startup flash counts, as its lamps flash already.
    private func waitForFlash(_ engine: JunctionEngine, limitSeconds: Int) -> Bool {
        let deadline = Clocks.monotonicNanoseconds() + limitSeconds * 1_000_000_000
        while Clocks.monotonicNanoseconds() < deadline {
            switch engine.board.withLock({ $0.status.mode }) {
            case .flash, .fault, .startupFlash: return true
            default: Syscall.sleep(milliseconds: 50)
            }
        }
        return false
    }

    /// The latch-chain test makes group 0's read-back go dark after this many ticks, a real
    /// read-back mismatch for the monitor to latch; only with the simulated field and this variable set.
    private static func testStuckReadBack(_ outputs: SignalOutputs) -> (SimulatedJunction, Int)? {
        guard let text = Syscall.environment("JUNCTIOND_TEST_READBACK_DARK_AFTER_TICKS"), let ticks = Int(text),
            let simulated = outputs as? SimulatedJunction
        else { return nil }
        return (simulated, ticks)
    }

    /// The watchdog test stalls the loop on purpose; only when this variable is set.
    private static func testStallAfterTicks() -> UInt64? {
        guard let text = Syscall.environment("JUNCTIOND_TEST_STALL_AFTER_TICKS") else { return nil }
        return UInt64(text)
    }
}
