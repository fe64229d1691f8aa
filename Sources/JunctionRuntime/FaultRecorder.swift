import Logging
import SignalCore
import SystemInterface

/// Keeps the latched-fault record on disk in step with the controller's latched fault, one
/// supervisor pass at a time.
///
/// Guarantees:
/// - each change of the latched fault is logged once (critical for a latch, notice for a reset),
///   however many passes its record takes to write;
/// - a record that could not be written or removed is tried again on every pass, so a disk that
///   frees up or a state directory that comes back is used at once; a state directory deleted
///   while the daemon runs is made again;
/// - a failure is logged when it starts, then at most once per `reminderNanoseconds` with the
///   number of failed attempts, and once more, with that number, when the record is finally written;
/// - `health` tells `junctionctl status` whether the record can be written: from a probe at start,
///   then from each write, and, while it cannot and nothing needs writing, from a probe once per
///   `reminderNanoseconds`, so a disk put right shows as such before a fault needs it.
struct FaultRecorder {
    /// How often a persisting failure is logged again.
    static let reminderNanoseconds = 60_000_000_000

    private let store: FaultStore
    /// Whether the record can be written, for the status.
    let health: FaultRecordHealth
    private let logger: Logger
    private let clock: any MonotonicClock
    /// The fault whose change was last logged.
    private var announced: SafetyViolation?
    /// The fault the record on disk holds.
    private var stored: SafetyViolation?
    private var failures = 0
    private var lastFailureLog = 0
    private var lastProbe = 0

    /// A recorder for `store`, whose record holds `restored` (the fault the daemon started with),
    /// telling `health` each write's outcome; `clock` spaces the failure reminders.
    init(
        store: FaultStore, restored: SafetyViolation?, health: FaultRecordHealth = FaultRecordHealth(),
        logger: Logger, clock: any MonotonicClock = SystemClock()
    ) {
        self.store = store
        self.health = health
        self.logger = logger
        self.clock = clock
        announced = restored
        stored = restored
    }

    /// Writes and removes a probe in the state directory, once at start; a directory that cannot
    /// be written is logged at once. The daemon runs on: the latch holds while it runs, and
    /// refusing to start would take the junction down for its disk.
    mutating func probeAtStart() {
        lastProbe = clock.nowNanoseconds()
        do {
            try store.probeWrite()
        } catch {
            health.failed()
            logger.error(
                "the state directory \(store.directory) cannot be written (\(error)): a safety fault latched from now on would hold only until the next restart; `junctionctl status` shows the fault record unwritable until it can be written")
        }
    }

    /// Brings the record in line with `fault`, the controller's latched fault now (nil: none).
    mutating func record(_ fault: SafetyViolation?) {
        if fault != announced {
            if let fault {
                logger.critical("safety monitor latched fault flash: \(fault)")
            } else {
                logger.notice("latched fault cleared by reset")
            }
            announced = fault
        }
        guard fault != stored else {
            probeIfDue()
            return
        }
        do {
            if let fault {
                if try store.save(fault) {
                    logger.warning("the state directory \(store.directory) had vanished; made it again")
                }
            } else {
                try store.clear()
            }
        } catch {
            let now = clock.nowNanoseconds()
            failures += 1
            health.failed()
            if failures == 1 {
                logger.error(
                    "cannot persist the latched-fault record at \(store.path): \(error); trying again every pass")
                lastFailureLog = now
            } else if now - lastFailureLog >= Self.reminderNanoseconds {
                logger.error(
                    "still cannot persist the latched-fault record at \(store.path) after \(failures) attempts: \(error)")
                lastFailureLog = now
            }
            return
        }
        stored = fault
        health.wrote()
        if failures > 0 {
            logger.notice("latched-fault record at \(store.path) persisted after \(failures) failed attempts")
            failures = 0
        }
    }

    /// While the record is known unwritable and nothing needs writing, probes the directory again
    /// once per `reminderNanoseconds`; a probe that fails is not counted again.
    private mutating func probeIfDue() {
        let now = clock.nowNanoseconds()
        guard !health.isWritable, now - lastProbe >= Self.reminderNanoseconds else { return }
        lastProbe = now
        if (try? store.probeWrite()) != nil {
            health.wrote()
            logger.notice("the state directory \(store.directory) can be written again")
        }
    }
}
