import Logging
import Synchronization
import SystemInterface

/// Feeds the systemd watchdog only while the real-time loop makes progress.
///
/// A timer alone would keep feeding a daemon whose control loop had hung, and systemd would never
/// restart it. So each check compares the loop's heartbeat with its value at the previous check and
/// sends `WATCHDOG=1` only if it has advanced. A stalled loop therefore starves the watchdog, and
/// systemd kills and restarts the daemon into its startup sequence.
public final class WatchdogFeeder: Sendable {
    /// What one check did.
    public enum Outcome: Sendable, Equatable {
        /// The heartbeat advanced and `WATCHDOG=1` was sent.
        case fed
        /// The heartbeat had not moved since the previous check; nothing was sent.
        case stalled
        /// The heartbeat advanced but the send failed.
        case failed(SystemError)
    }

    /// Check counts, for status.
    public struct Counts: Sendable, Equatable {
        /// Checks that sent `WATCHDOG=1`.
        public var fed: UInt64 = 0
        /// Checks that found the heartbeat unchanged.
        public var stalled: UInt64 = 0
        /// Checks whose send failed.
        public var failed: UInt64 = 0
    }

    private struct State {
        var lastHeartbeat: UInt64
        var counts = Counts()
        var previous: Outcome?
    }

    private let heartbeat: @Sendable () -> UInt64
    private let feed: @Sendable () throws(SystemError) -> Void
    private let logger: Logger
    private let clock: any MonotonicClock
    private let state: Mutex<State>
    private let worker = Mutex<PeriodicThread?>(nil)

    /// A feeder reading `heartbeat` and calling `feed` to send `WATCHDOG=1`. The heartbeat's value
    /// now is the baseline, so the first check feeds only if the loop has ticked since. The
    /// feeding thread paces its checks on `clock`.
    package init(
        heartbeat: @escaping @Sendable () -> UInt64,
        logger: Logger,
        clock: any MonotonicClock = SystemClock(),
        feed: @escaping @Sendable () throws(SystemError) -> Void
    ) {
        self.heartbeat = heartbeat
        self.feed = feed
        self.logger = logger
        self.clock = clock
        state = Mutex(State(lastHeartbeat: heartbeat()))
    }

    /// A feeder that watches `loop` and sends `WATCHDOG=1` through `notifier`.
    public convenience init(loop: RealTimeLoop, notifier: SystemdNotifier, logger: Logger) {
        self.init(heartbeat: { loop.heartbeat }, logger: logger) { () throws(SystemError) in
            try notifier.send(.watchdog)
        }
    }

    /// Compares the heartbeat with the previous check and feeds the watchdog if it advanced.
    /// Logs only when the outcome changes, so a long stall is one warning, not one per check.
    @discardableResult
    public func check() -> Outcome {
        let current = heartbeat()
        let advanced = state.withLock { state in
            defer { state.lastHeartbeat = current }
            return current != state.lastHeartbeat
        }
        let outcome: Outcome
        if advanced {
            do {
                try feed()
                outcome = .fed
            } catch {
                outcome = .failed(error)
            }
        } else {
            outcome = .stalled
        }
        let changed = state.withLock { state in
            switch outcome {
            case .fed: state.counts.fed += 1
            case .stalled: state.counts.stalled += 1
            case .failed: state.counts.failed += 1
            }
            defer { state.previous = outcome }
            return state.previous != outcome
        }
        if changed {
            log(outcome, heartbeat: current)
        }
        return outcome
    }

    /// How many checks fed, found a stall, or failed.
    public var counts: Counts {
        state.withLock { $0.counts }
    }

    /// Runs `check()` every `intervalMicroseconds` on a thread of its own until `stop()`, the first
    /// one interval from now; a late check is followed by a whole interval, never by a burst of
    /// catch-up checks. Pass `SystemdNotifier.watchdogIntervalMicroseconds`.
    public func start(intervalMicroseconds: Int) throws(SystemError) {
        precondition(intervalMicroseconds > 0, "a watchdog interval is positive")
        precondition(worker.withLock { $0 == nil }, "a watchdog feeder starts once")
        let feeding = try PeriodicThread(
            name: "junction-wdog", intervalNanoseconds: intervalMicroseconds * 1_000, clock: clock,
            firstPassAtOnce: false
        ) { [self] in check() }
        worker.withLock { $0 = feeding }
    }

    /// Ends the feeding thread and waits for it. The watchdog then starves unless the caller sends
    /// `STOPPING=1`, which tells systemd to stop expecting it.
    public func stop() {
        worker.withLock { $0 }?.stop()
    }

    private func log(_ outcome: Outcome, heartbeat: UInt64) {
        switch outcome {
        case .fed:
            logger.info("watchdog fed: the control loop is making progress", metadata: ["heartbeat": "\(heartbeat)"])
        case .stalled:
            logger.error(
                "watchdog not fed: the control loop's heartbeat has not advanced since the last check",
                metadata: ["heartbeat": "\(heartbeat)"]
            )
        case .failed(let error):
            logger.warning("watchdog notification failed", metadata: ["error": "\(error)"])
        }
    }
}
