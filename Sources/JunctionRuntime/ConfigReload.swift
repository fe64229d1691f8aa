import JunctionConfig
import Logging
import RealTimeEngine
import SignalCore
import Synchronization
import SystemInterface

/// One SIGHUP reload at a time, advanced by the supervisor's regular pass and never waited for.
///
/// Guarantees:
/// - `advance` never blocks: the file is read and checked on a thread of its own, so a file that
///   takes long to read (a FIFO, a slow disk, a pathological file) holds up only that thread, and
///   SIGTERM and fault persistence go on being handled on every pass;
/// - an invalid file is refused with every problem logged and the running plan kept;
/// - a valid file is prepared here for the control loop (its controller, strategy and monitor are
///   built on this thread, `JunctionEngine.postReload`) and taken over by the loop, without
///   allocating, at the next stage rest; the outcome is logged when the loop reports it, and once
///   after `patienceNanoseconds` if it has not;
/// - a SIGHUP that arrives while a file is being read is kept and served once that read ends, so
///   the last signal always leads to a read of the file as it is after that signal;
/// - a refused file also withdraws a valid one still waiting for a stage rest, so the plan that
///   runs on is the one running when the refusal was logged;
/// - a junction replaced in the mailbox by a newer file is still watched: should the loop have
///   taken it first, it is reported applied (and `applied` told) before the newer one;
/// - RELOADING=1 is sent when a reload starts and READY=1 when its outcome is known (or the
///   patience runs out), as systemd's reload protocol expects.
struct ConfigReload {
    /// Why a file was not taken: every problem found, as one report for the log.
    struct Refusal: Error, Sendable {
        var report: String
    }

    /// Reads and checks a junction file (on the reload's own thread).
    typealias Loader = @Sendable (String) -> Result<JunctionConfiguration, Refusal>

    /// A file being read on `job`'s thread since `since` (monotonic nanoseconds).
    private struct Reading {
        var job: ReadJob
        var since: Int
    }

    /// A junction the loop holds as the reload with `ticket`, to apply at the next stage rest.
    private struct HandOver {
        var ticket: RequestMailbox.ReloadTicket
        var configuration: JunctionConfiguration
        var since: Int
        /// Whether the 30 s warning has been logged (and READY=1 sent with it).
        var overdue = false
    }

    /// How long a read or a hand-over may take before it is logged as slow.
    static let patienceNanoseconds = 30_000_000_000

    private let path: String
    private let engine: JunctionEngine
    private let logger: Logger
    private let load: Loader
    private var requested = false
    private var reading: Reading?
    private var handOver: HandOver?
    /// Hand-overs the loop took before a newer file replaced them, oldest first, whose outcome is
    /// still to come (one it never took is withdrawn instead, and has none).
    private var superseded: [HandOver] = []
    private var owesReady = false

    /// How many replaced hand-overs are watched for an outcome still to come.
    var supersededWatched: Int { superseded.count }

    /// Reloads `path` into `engine`; `load` reads and checks a file.
    init(path: String, engine: JunctionEngine, logger: Logger, load: @escaping Loader) {
        self.path = path
        self.engine = engine
        self.logger = logger
        self.load = load
    }

    /// Records a SIGHUP; the next `advance` starts a read (or queues it behind the one running).
    mutating func request() {
        requested = true
    }

    /// Whether a reload is in progress (a file being read, or a junction waiting for a stage rest).
    var isBusy: Bool { requested || reading != nil || handOver != nil }

    /// The junctions handed to the loop whose outcome has not been reported: the loop may be running
    /// any of them already, so the stop bounds its wait for flash by them too.
    var junctionsTheLoopMayHaveTaken: [Junction] {
        (superseded + [handOver].compactMap { $0 }).map(\.configuration.junction)
    }

    /// Takes the reload one step, without waiting. Call it on every supervisor pass.
    ///
    /// - Parameters:
    ///   - now: CLOCK_MONOTONIC nanoseconds.
    ///   - notify: sends RELOADING=1 (`true`) or READY=1 (`false`) to systemd.
    ///   - applied: told of a configuration the loop has taken over.
    mutating func advance(
        now: Int, notify: (_ reloading: Bool) -> Void, applied: (JunctionConfiguration) -> Void
    ) {
        if let current = reading {
            if let result = current.job.result {
                current.job.join()
                reading = nil
                finishReading(result, now: now)
            } else if now - current.since >= Self.patienceNanoseconds, !current.job.reportedSlow {
                current.job.reportedSlow = true
                logger.warning("reload: \(path) still not read after 30 s; the running plan continues")
            }
        }
        settleSuperseded(applied: applied)
        if let waiting = handOver {
            if let outcome = engine.mailbox.reloadOutcome(of: waiting.ticket) {
                // The loop takes reloads in order: an earlier one it took has reported by now.
                settleSuperseded(applied: applied)
                superseded = []
                handOver = nil
                report(outcome, of: waiting.configuration, applied: applied)
            } else if !waiting.overdue, now - waiting.since >= Self.patienceNanoseconds {
                // Flash asked for rules a handover out until it is released: say so, or the
                // technician waits for a stage rest that cannot come.
                let flashRequested = engine.board.withLock { $0.status.flashRequest != nil }
                logger.warning(
                    flashRequested
                        ? "reload still waiting after 30 s: flash is asked for; it will apply at the first stage rest after flash is released"
                        : "reload still waiting for a stage rest after 30 s; it will apply when one comes")
                handOver?.overdue = true
            }
        }
        if requested, reading == nil {
            requested = false
            if !owesReady {
                notify(true)
                owesReady = true
            }
            start(now: now)
        }
        if owesReady, reading == nil, handOver.map(\.overdue) ?? true {
            notify(false)
            owesReady = false
        }
    }

    /// Reports the superseded hand-overs whose outcome has come, in order.
    private mutating func settleSuperseded(applied: (JunctionConfiguration) -> Void) {
        let settled = superseded.compactMap { earlier in engine.mailbox.reloadOutcome(of: earlier.ticket).map { (earlier, $0) } }
        guard !settled.isEmpty else { return }
        superseded.removeAll { earlier in settled.contains { $0.0.ticket == earlier.ticket } }
        for (earlier, outcome) in settled {
            report(outcome, of: earlier.configuration, applied: applied)
        }
    }

    private mutating func start(now: Int) {
        let job = ReadJob()
        let path = path
        let load = load
        do {
            try job.start { load(path) }
            reading = Reading(job: job, since: now)
        } catch {
            logger.error("reload of \(path) impossible, the running plan continues: \(error)")
        }
    }

    private mutating func finishReading(_ result: Result<JunctionConfiguration, Refusal>, now: Int) {
        switch result {
        case .failure(let refusal):
            logger.error("reload refused, the running plan continues: \(refusal.report)")
            // The file as it is now is refused: the one read before it, still waiting, is not what
            // the technician's last SIGHUP asked for. Taken by the loop already, it is reported.
            if let waiting = handOver, engine.mailbox.withdraw(waiting.ticket) {
                handOver = nil
                logger.notice("reload: the earlier valid file that was waiting for a stage rest is withdrawn")
            }
        case .success(let configuration):
            // Changed detectors or groups are refused by the loop at any moment: said now, not
            // after "waiting for the next stage rest".
            if let refusal = engine.reloadRefusal(for: configuration.junction) {
                finishReading(.failure(Refusal(report: refusal)), now: now)
                return
            }
            // A junction still waiting from an earlier SIGHUP is withdrawn; one the loop has taken
            // already is watched until its outcome comes.
            if let waiting = handOver, !engine.mailbox.withdraw(waiting.ticket) { superseded.append(waiting) }
            let ticket = engine.postReload(configuration.junction, adaptive: configuration.adaptive)
            logger.info("reload of \(path) valid; waiting for the next stage rest to apply it")
            handOver = HandOver(ticket: ticket, configuration: configuration, since: now)
        }
    }

    private func report(
        _ outcome: RequestOutcome, of configuration: JunctionConfiguration, applied: (JunctionConfiguration) -> Void
    ) {
        switch outcome {
        case .accepted:
            applied(configuration)
            let stage = engine.board.withLock { board in
                board.status.stage.map { configuration.junction.stages[$0].name } ?? "-"
            }
            logger.notice("reload applied at the rest of stage \(stage): \(configuration.summary)")
        case .refused(let why):
            logger.error("reload refused, the running plan continues: \(why)")
        }
    }
}

/// A file read on its own thread, whose result the supervisor polls.
private final class ReadJob: @unchecked Sendable {
    // `thread` and `reportedSlow` are touched only by the supervisor; the result crosses threads
    // through the mutex.
    private let outcome = Mutex<Result<JunctionConfiguration, ConfigReload.Refusal>?>(nil)
    private var thread: PosixThread?
    var reportedSlow = false

    func start(_ body: @escaping @Sendable () -> Result<JunctionConfiguration, ConfigReload.Refusal>) throws(SystemError) {
        thread = try PosixThread(name: "config-reload") { [self] in
            let result = body()
            outcome.withLock { $0 = result }
        }
    }

    /// The result once the thread has stored it.
    var result: Result<JunctionConfiguration, ConfigReload.Refusal>? { outcome.withLock { $0 } }

    /// Releases the finished thread; call once `result` is set.
    func join() {
        thread?.join()
        thread = nil
    }
}
