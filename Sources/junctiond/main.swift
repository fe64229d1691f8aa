import ArgumentParser
import BuildInfo
import DiagnosticService
import Diagnostics
import JunctionConfig
import JunctionRuntime
import Logging
import SystemInterface

/// The junctiond command line: run a junction, check a junction file, or run the demo.
struct JunctionDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junctiond",
        abstract: "Adaptive traffic-signal controller for one junction.",
        discussion: """
            With --demo (or no --config) it runs the built-in Cirebon 4-arm junction on a simulated \
            junction that generates traffic, and draws it live in the terminal.

            Exit status: 0 stopped in flash (SIGTERM, SIGINT or --run-seconds), 1 could not start, 2 invalid \
            junction file (--check-config), 3 stopped without reaching flash in time, 64 usage error \
            (unknown option, bad argument).
            """,
        version: BuildInfo.versionLine("junctiond")
    )

    @Option(name: .long, help: "The junction file to run (TOML).")
    var config: String?

    @Option(name: .customLong("check-config"), help: "Validate a junction file, print a summary and exit.")
    var checkConfig: String?

    @Flag(name: .long, help: "Run the built-in Cirebon junction on simulated traffic (the default without --config).")
    var demo = false

    // `.unconditional`: a negative value is the option's (and refused as such), not taken for
    // another option and reported as a missing value.
    @Option(name: .long, parsing: .unconditional, help: "Seed of the simulated traffic.")
    var seed: UInt64 = 1

    @Option(name: .customLong("state-directory"), help: "Where a latched safety fault is kept across restarts.")
    var stateDirectory: String?

    @Option(
        name: .customLong("runtime-directory"),
        help: "Where the diagnostic sockets go (default: $RUNTIME_DIRECTORY, /run/junctiond if writable, else /tmp/junctiond-$UID).")
    var runtimeDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical; default: the file's [daemon] log_level, else info.")
    var logLevel: String?

    @Option(name: .long, help: "live (redraw in place), lines (one line per stage change) or none. Default: live on a terminal.")
    var view: String?

    @Flag(name: .long, help: "Ask for SCHED_FIFO, mlockall, 1 ns timer slack and cpu_dma_latency 0 (each skipped if refused); without it, the file's [daemon] section decides.")
    var realtime = false

    @Option(name: .customLong("run-seconds"), parsing: .unconditional, help: "Stop by itself after this many seconds.")
    var runSeconds: Int?

    /// The longest `--run-seconds` whose nanoseconds fit the monotonic clock's Int (about 292 years).
    static let longestRun = Int.max / 1_000_000_000

    func validate() throws {
        if config != nil && demo { throw ValidationError("--demo runs the built-in junction; leave out --config") }
        if checkConfig != nil && (config != nil || demo || runSeconds != nil) {
            throw ValidationError("--check-config only checks the file; leave out --config, --demo and --run-seconds")
        }
        if let runSeconds, !(1...Self.longestRun).contains(runSeconds) {
            throw ValidationError("--run-seconds takes 1 to \(Self.longestRun) seconds, not \(runSeconds)")
        }
        if let view, !["live", "lines", "none"].contains(view) {
            throw ValidationError("--view takes live, lines or none, not \(view)")
        }
        if let logLevel, LogSetup.parseLevel(logLevel) == nil {
            throw ValidationError("--log-level takes one of \(LogSetup.levelNames.joined(separator: ", "))")
        }
    }

    /// `--check-config`: the file's own problems, then what junctiond could not start with (a
    /// key file missing here is a warning: the file may be checked before it is installed).
    private func check(_ argument: String) throws {
        // Opened by the bytes it was given in, and named with the bytes that are not UTF-8 escaped.
        let filePath = CommandLinePath.of(argument)
        let path = JunctionFile.displayName(filePath)
        let loaded: JunctionConfiguration
        do {
            loaded = try JunctionConfigLoader().load(path: filePath)
        } catch {
            writeToStandardError("\(error)\n")
            throw ExitCode(2)
        }
        let problems = StartupReadiness.problems(of: loaded)
        let fatal = problems.filter { !$0.dependsOnMachine }
        guard fatal.isEmpty else {
            writeToStandardError(fatal.map { "\(path): \($0)\n" }.joined())
            throw ExitCode(2)
        }
        writeToStandardError(problems.map { "\(path): warning: junctiond could not start with it here: \($0)\n" }.joined())
        print("\(path): valid")
        print(loaded.summary)
        if let neighbours = loaded.neighbours {
            JunctionConfigSummary.neighbourLines(neighbours, junction: loaded.junction).forEach { print($0) }
        }
    }

    func run() throws {
        if let checkConfig {
            try check(checkConfig)
            return
        }
        // The file may set the level; a file that does not load is reported by the daemon itself.
        let fileLevel = config.flatMap { try? JunctionConfigLoader().load(path: $0).daemon.logLevel }
        LogSetup.bootstrap(level: (logLevel ?? fileLevel).flatMap(LogSetup.parseLevel) ?? .info)
        let logger = Logger(label: "junctiond")
        let viewMode: JunctionDaemon.ViewMode
        switch view ?? (Syscall.standardOutputIsTerminal() ? "live" : "lines") {
        case "live": viewMode = .live
        case "none": viewMode = .none
        default: viewMode = .lines
        }
        let state: String
        do {
            state = try JunctionDaemon.stateDirectory(given: stateDirectory)
        } catch {
            writeToStandardError("junctiond: state directory: \(error)\n")
            throw ExitCode(1)
        }
        let options = JunctionDaemon.Options(
            configPath: config,
            seed: seed,
            stateDirectory: state,
            realTime: realtime ? .full : nil,
            view: viewMode,
            runSeconds: runSeconds,
            runtimeDirectory: runtimeDirectory
        )
        do {
            let status = try JunctionDaemon(options: options, logger: logger).run()
            throw ExitCode(status)
        } catch let error as JunctionDaemon.StartupError {
            // The lines logged on the way here are still queued: written first, the reason ends the output.
            _ = LogWriter.standardError.flush(timeoutMilliseconds: LogSetup.exitFlushMilliseconds)
            writeToStandardError("junctiond: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// Writes a message to standard error (file descriptor 2) in one call.
func writeToStandardError(_ text: String) {
    Syscall.writeToStandardError(text)
}

// Before anything else: a SIGHUP or SIGTERM that comes while the arguments and the file are read
// must wait for the signal thread, not kill the process with the default action (it did in the
// first ~20 ms). Every path that is not the daemon ends within milliseconds, so nothing waits on
// them blocked. `JunctionDaemon.run` blocks them too, for callers other than this one.
do {
    try SignalWatcher.blockHandledSignals()
} catch {
    writeToStandardError("junctiond: cannot block signals: \(error)\n")
    JunctionDaemonCommand.exit(withError: ExitCode(1))
}
JunctionDaemonCommand.main()
