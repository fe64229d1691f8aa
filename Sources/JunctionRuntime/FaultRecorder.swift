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
///   number of failed attempts, and once more, with that number, when the record is finally written.
struct FaultRecorder {
    /// How often a persisting failure is logged again.
    static let reminderNanoseconds = 60_000_000_000

    private let store: FaultStore
    private let logger: Logger
    private let clock: any MonotonicClock
    /// The fault whose change was last logged.
    private var announced: SafetyViolation?
    /// The fault the record on disk holds.
    private var stored: SafetyViolation?
    private var failures = 0
    private var lastFailureLog = 0

    /// A recorder for `store`, whose record holds `restored` (the fault the daemon started with);
    /// `clock` spaces the failure reminders.
    init(store: FaultStore, restored: SafetyViolation?, logger: Logger, clock: any MonotonicClock = SystemClock()) {
        self.store = store
        self.logger = logger
        self.clock = clock
        announced = restored
        stored = restored
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
        guard fault != stored else { return }
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
        if failures > 0 {
            logger.notice("latched-fault record at \(store.path) persisted after \(failures) failed attempts")
            failures = 0
        }
    }
}
