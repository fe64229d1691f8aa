import Glibc
import Synchronization

/// Turns SIGHUP into `.reload`, SIGTERM and SIGINT into `.terminate`, and the other signals
/// whose default action would end the process on the spot (SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
/// SIGPROF, SIGIO) into `.ignored`, delivered to a callback on a thread of its own together with the
/// signal's name (the caller logs it: this layer does not log). So no stray signal kills the daemon
/// without the junction going to flash first.
///
/// No signal handler is installed, so no async-signal-unsafe work can happen in one: the signals
/// stay blocked and a dedicated thread takes them with `sigwait`. For that to catch every one, they
/// must be blocked in every thread, so call `blockHandledSignals()` first thing in `main`, before
/// any other thread exists; threads inherit the mask from their creator.
public final class SignalWatcher: Sendable {
    /// What a signal asks of the daemon.
    public enum Event: Sendable, Equatable {
        /// SIGHUP: read the configuration again.
        case reload
        /// SIGTERM or SIGINT: drive the junction to its safe state, then exit 0.
        case terminate
        /// A signal nobody should send a traffic controller; it is logged and changes nothing.
        case ignored
    }

    /// The signals this watcher takes.
    public static let handledSignals: [CInt] = [
        SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO,
    ]
    /// Signals a failed write raises in the writing thread; ignored, so that the write's error
    /// (EPIPE, EFBIG) reports it instead of the signal ending the process.
    public static let ignoredSignals: [CInt] = [SIGPIPE, SIGXFSZ]

    private let handler: @Sendable (Event, _ signalName: String) -> Void
    private let stopRequested = Atomic<Bool>(false)
    private let thread = Mutex<PosixThread?>(nil)

    /// A watcher that will call `handler` on its own thread, once per signal received, with the
    /// event and the signal's name ("SIGHUP").
    public init(handler: @escaping @Sendable (Event, _ signalName: String) -> Void) {
        self.handler = handler
    }

    /// Blocks `handledSignals` in the calling thread and every thread it starts later, and ignores
    /// `ignoredSignals` in the whole process. SIGXCPU keeps its default (a core dump, which systemd
    /// restarts): a clean stop in flash would exit 0 and leave the junction flashing unrestarted.
    public static func blockHandledSignals() throws(SystemError) {
        for signal in ignoredSignals { Glibc.signal(signal, SIG_IGN) }
        try Syscall.blockSignals(handledSignals)
    }

    /// Starts the watching thread. The thread is born with the signals blocked (the caller's mask
    /// is widened around its creation and then put back), so a watcher works even if
    /// `blockHandledSignals()` came late, though signals may then reach other threads first.
    public func start() throws(SystemError) {
        precondition(thread.withLock { $0 == nil }, "a signal watcher starts once")
        let previousMask = try Syscall.blockSignals(Self.handledSignals)
        defer {
            do {
                try Syscall.restoreSignalMask(previousMask)
            } catch {
                preconditionFailure("restoring the signal mask: \(error)")
            }
        }
        let watcherThread = try PosixThread(name: "junction-sig") { [self] in
            watch()
        }
        thread.withLock { $0 = watcherThread }
    }

    /// Ends the watching thread and waits for it.
    public func stop() {
        let finished = thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        guard let finished else {
            return
        }
        stopRequested.store(true, ordering: .releasing)
        // sigwait has no other way to be woken: send the thread one of its own blocked signals,
        // which it takes, sees the stop request, and returns.
        do {
            try Syscall.signalThread(finished.handle, SIGHUP)
        } catch {
            preconditionFailure("waking the signal thread: \(error)")
        }
        finished.join()
    }

    /// Sends `signal` to the watching thread only, as a test's stand-in for `kill`: a
    /// process-directed signal would kill a test runner whose other threads do not block it.
    package func sendToWatcherThread(_ signal: CInt) throws(SystemError) {
        guard let handle = thread.withLock({ $0?.handle }) else {
            preconditionFailure("the signal watcher is not running")
        }
        try Syscall.signalThread(handle, signal)
    }

    private func watch() {
        do {
            while true {
                let signal = try Syscall.waitForSignal(Self.handledSignals)
                if stopRequested.load(ordering: .acquiring) {
                    return
                }
                handler(Self.event(for: signal), Self.name(of: signal))
            }
        } catch {
            // sigwait fails only for an invalid signal set: a bug in this file.
            preconditionFailure("signal watcher: \(error)")
        }
    }

    private static func event(for signal: CInt) -> Event {
        switch signal {
        case SIGHUP: return .reload
        case SIGTERM, SIGINT: return .terminate
        default: return .ignored
        }
    }

    private static func name(of signal: CInt) -> String {
        switch signal {
        case SIGHUP: return "SIGHUP"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGUSR1: return "SIGUSR1"
        case SIGUSR2: return "SIGUSR2"
        case SIGALRM: return "SIGALRM"
        case SIGVTALRM: return "SIGVTALRM"
        case SIGPROF: return "SIGPROF"
        case SIGIO: return "SIGIO"
        default: return "signal \(signal)"
        }
    }
}
