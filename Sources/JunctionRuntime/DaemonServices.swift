import DiagnosticService
import Diagnostics
import JunctionConfig
import Lifecycle
import Logging
import RealTimeEngine
import SNMPAgent
import SystemInterface
import UpstreamLink

/// The daemon's non-real-time services in their start order: signals, watchdog feeder, clock
/// watch, diagnostic sockets, neighbours, upstream, SNMP, then the time-of-day schedule (last, so
/// the first plan it posts is logged with every other service up). They stop in the reverse order, so the diagnostic sockets
/// still answer while upstream flushes its store, upstream's last report still has the neighbour
/// counters, and the watchdog is fed until everything else has stopped.
struct DaemonServices {
    let group: ServiceGroup
    let diagnostics: ClosureService<DiagnosticServer>
    let neighbours: ClosureService<NeighbourService>
    let upstream: ClosureService<UpstreamRuntime>
    let snmp: ClosureService<SNMPSubagent>
    let schedule: ClosureService<ScheduleDriver>
    /// The configuration the daemon started with: what it opened (field backends, sockets) stays
    /// until a restart.
    private let startedWith: JunctionConfiguration

    /// What the services need; nothing is opened or started until `group.start()`.
    struct Context {
        let configuration: JunctionConfiguration
        let configPath: String?
        let stateDirectory: String
        let runtimeDirectory: String
        let engine: JunctionEngine
        let loop: RealTimeLoop
        let notifier: SystemdNotifier
        let logger: Logger
    }

    init(_ context: Context, signals: SignalWatcher) {
        startedWith = context.configuration
        diagnostics = Self.diagnostics(context)
        let neighbours = ClosureService(name: "neighbours") {
            try NeighbourService.start(
                configuration: context.configuration, engine: context.engine, stateDirectory: context.stateDirectory,
                logger: context.logger)
        }
        self.neighbours = neighbours
        upstream = ClosureService(name: "upstream") {
            try UpstreamRuntime.start(
                configuration: context.configuration, engine: context.engine,
                loop: context.loop, stateDirectory: context.stateDirectory, logger: context.logger,
                neighbourCounters: { neighbours.running?.counters().statusCounters ?? [:] })
        }
        snmp = ClosureService(name: "snmp") {
            try SNMPSubagent.start(configuration: context.configuration, engine: context.engine, logger: context.logger)
        }
        schedule = ClosureService(name: "schedule") {
            guard let timetable = context.configuration.schedule else { return nil }
            let driver = ScheduleDriver(
                schedule: timetable, clock: SystemWallClock(), engine: context.engine, logger: context.logger)
            try driver.start()
            return driver
        }
        let clock = ClosureService(name: "clock") {
            try ClockWatch.start(settings: context.configuration.daemon, engine: context.engine, logger: context.logger)
        }
        group = ServiceGroup([signals, Self.watchdog(context), clock, diagnostics, neighbours, upstream, snmp, schedule])
    }

    /// Shows the fault record, the neighbour link, upstream, SNMP and the log in `junctionctl status`,
    /// once they run.
    func attachReports(faultRecord: FaultRecordHealth) {
        guard let server = diagnostics.running else { return }
        server.attachService { faultRecord.serviceReport }
        if let neighbours = neighbours.running {
            for index in 0...neighbours.settings.neighbours.count {
                server.attachService { neighbours.counters().serviceReports(neighbours.settings)[index] }
            }
        }
        if let snmp = snmp.running { server.attachService { snmp.counters().serviceReport } }
        if let upstream = upstream.running { server.attachService { upstream.serviceReport() } }
        // A log nobody reads drops lines rather than hold up the daemon; the count is shown here.
        server.attachService {
            let log = LogWriter.standardError
            return StatusReport.Service(
                name: "log", state: log.isDropping ? "dropping" : "writing",
                counters: ["dropped_lines": UInt64(log.droppedLines)])
        }
    }

    /// Tells the services of a reloaded configuration the loop has taken over: the diagnostic
    /// server reports it, upstream reports its digest and the schedule follows its `[schedule]`. A `[schedule]` added or removed
    /// waits for a restart, as `[neighbours]` does: the driver's thread is started once.
    func configurationApplied(_ configuration: JunctionConfiguration, logger: Logger) {
        diagnostics.running?.configurationApplied(configuration)
        upstream.running?.configurationApplied(configuration)
        switch (schedule.running, configuration.schedule) {
        case (let driver?, let timetable?):
            // Looked at once now rather than at the driver's next second: a plan the take-over
            // could not carry over by name (renamed) runs free until the schedule's choice arrives.
            driver.replace(timetable)
            driver.poll()
        case (nil, nil): break
        case (nil, _?): logger.notice("reload: [schedule] added; it takes effect at the next restart")
        case (_?, nil):
            logger.notice("reload: [schedule] removed; the old schedule runs until the next restart")
        }
        let opened = [
            ("[field]", configuration.field != startedWith.field), ("[modbus]", configuration.modbus != startedWith.modbus),
            ("[gpio]", configuration.gpio != startedWith.gpio),
            ("[diagnostics]", configuration.diagnostics != startedWith.diagnostics),
            ("[snmp]", configuration.snmp != startedWith.snmp),
            // The sockets, keys and store of both links, and the neighbour forecast the tick reads.
            ("[upstream]", configuration.upstream != startedWith.upstream),
            ("[neighbours]", configuration.neighbours != startedWith.neighbours),
        ].filter(\.1).map(\.0)
        if !opened.isEmpty {
            logger.notice(
                "reload: \(opened.joined(separator: ", ")) differ from what was opened at start; they take effect at the next restart")
        }
    }

    /// Feeds systemd's watchdog while the loop's heartbeat advances; nothing without WATCHDOG_USEC.
    private static func watchdog(_ context: Context) -> ClosureService<WatchdogFeeder> {
        ClosureService(name: "watchdog") {
            // The notifier already halves WATCHDOG_USEC.
            guard let interval = context.notifier.watchdogIntervalMicroseconds else { return nil }
            let feeder = WatchdogFeeder(loop: context.loop, notifier: context.notifier, logger: context.logger)
            try feeder.start(intervalMicroseconds: interval)
            return feeder
        }
    }

    /// The diagnostic sockets. A failure is logged, not fatal: the junction is better run without
    /// its diagnostic sockets than not at all.
    private static func diagnostics(_ context: Context) -> ClosureService<DiagnosticServer> {
        ClosureService(name: "diagnostics") {
            let configuration = context.configuration
            do {
                let server = try DiagnosticServer(
                    options: DiagnosticServer.Options(
                        directory: context.runtimeDirectory, settings: configuration.diagnostics),
                    engine: context.engine, loop: context.loop, configuration: configuration,
                    source: context.configPath ?? "built-in Cirebon demo",
                    fieldBackends: DiagnosticServer.FieldBackendNames(
                        detectors: configuration.field.detectors.rawValue,
                        outputs: configuration.field.outputs.rawValue),
                    logger: context.logger)
                try server.start()
                return server
            } catch {
                context.logger.error("\(error); the junction runs without its diagnostic sockets")
                return nil
            }
        }
    }
}
