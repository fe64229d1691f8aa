import JunctionConfig
import Logging
import RealTimeEngine
import SystemInterface

/// The daemon's watch on time, on a thread of its own once a second: the clock's
/// synchronisation and steps (`ClockDiscipline`) and the control loop's stalls.
///
/// Guarantees: it never runs on the tick and the tick never waits for it. It takes the board's
/// lock only to publish `ClockStatus` and journal its events (207 is journalled by the tick
/// itself; this thread writes its log line). The source's read (chronyc, at most its timeout)
/// delays only this thread. Every event it journals also gets one log line.
///
/// `@unchecked Sendable`: its mutable state is touched by its own thread only (tests call `pass`
/// on theirs, with no thread started); `stop` ends that thread and joins it.
final class ClockWatch: @unchecked Sendable {
    /// Time between observations: one second.
    static let intervalNanoseconds = 1_000_000_000

    private let engine: JunctionEngine
    private let source: any ClockStateSource
    private let wallClock: any WallClock
    private let clock: any MonotonicClock
    private let logger: Logger
    private var worker: PeriodicThread?
    private var discipline: ClockDiscipline
    private var stallsLogged: UInt64 = 0
    private var lastProblems: [String] = []

    /// Starts the watch with the `[daemon]` alarm limit, reading `source` (the machine's in
    /// service).
    static func start(
        settings: DaemonSettings, engine: JunctionEngine, logger: Logger,
        source: any ClockStateSource = SystemClockStateSource()
    ) throws(SystemError) -> ClockWatch {
        let watch = ClockWatch(
            engine: engine, alarmAfterSeconds: settings.clockUnsynchronisedAlarmSeconds, source: source,
            wallClock: SystemWallClock(), clock: SystemClock(), logger: logger)
        // After a stall the missed passes are not made up: one pass judges the whole gap.
        watch.worker = try PeriodicThread(
            name: "clock-watch", intervalNanoseconds: intervalNanoseconds, clock: watch.clock, firstPassAtOnce: true
        ) { [watch] in watch.pass() }
        return watch
    }

    init(
        engine: JunctionEngine, alarmAfterSeconds: Int, source: any ClockStateSource, wallClock: any WallClock,
        clock: any MonotonicClock, logger: Logger
    ) {
        self.engine = engine
        self.source = source
        self.wallClock = wallClock
        self.clock = clock
        self.logger = logger
        discipline = ClockDiscipline(
            alarmAfterSeconds: alarmAfterSeconds, status: engine.board.withLock { $0.clock })
        stallsLogged = engine.board.withLock { $0.counters.tickStalls }
    }

    func stop() {
        worker?.stop()
        worker = nil
    }

    /// One observation: read the source, judge, publish, journal and log. Tests call it directly.
    func pass() {
        let reading = source.read()
        let wallNanoseconds = wallClock.nanosecondsSinceEpoch()
        let findings = discipline.observe(
            wallNanoseconds: wallNanoseconds, monotonicNanoseconds: clock.nowNanoseconds(), reading: reading)
        let wallMilliseconds = wallNanoseconds / 1_000_000
        let status = discipline.status
        let stalls = engine.board.withLock { board in
            board.clock = status
            for finding in findings {
                guard let event = ClockDiscipline.event(finding, tick: board.status.tick) else { continue }
                board.journalOffTick({ _ in event }, wallMilliseconds: wallMilliseconds)
            }
            return board.counters
        }
        for finding in findings { log(finding, status) }
        logStalls(stalls)
        if reading.problems != lastProblems {
            for problem in reading.problems { logger.warning("clock state: \(problem)") }
            lastProblems = reading.problems
        }
    }

    private func log(_ finding: ClockDiscipline.Finding, _ status: ClockStatus) {
        switch finding {
        case .step(let nanoseconds):
            logger.warning(
                "wall clock stepped", metadata: ["step_ms": "\(nanoseconds / 1_000_000)", "steps": "\(status.steps)"])
        case .synchronisationChanged(let synchronised):
            logger.notice(
                synchronised ? "clock synchronised" : "clock lost synchronisation",
                metadata: ["source": "\(status.source)", "leap": "\(status.leapStatus ?? "-")"])
        case .synchronisationEvent(let synchronised):
            if synchronised {
                logger.notice(
                    "clock synchronisation confirmed",
                    metadata: ["source": "\(status.source)", "offset_us": "\((status.offsetNanoseconds ?? 0) / 1000)"])
            } else {
                logger.error(
                    "clock unsynchronised beyond the limit: alarm raised",
                    metadata: [
                        "unsynchronised_s": "\(status.unsynchronisedSeconds)",
                        "limit_s": "\(discipline.alarmAfterSeconds)", "source": "\(status.source)",
                    ])
            }
        }
    }

    private func logStalls(_ counters: EngineCounters) {
        guard counters.tickStalls > stallsLogged else { return }
        logger.warning(
            "control loop stalled",
            metadata: [
                "stall_ms": "\(counters.lastTickStallMilliseconds)", "stalls": "\(counters.tickStalls - stallsLogged)",
                "longest_ms": "\(counters.longestTickStallMilliseconds)",
            ])
        stallsLogged = counters.tickStalls
    }
}

extension ClockWatch: StoppablePart {}
