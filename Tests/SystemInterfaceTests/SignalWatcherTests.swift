import Glibc
import Logging
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import SystemInterface

@Suite struct SignalWatcherTests {
    @Test func hangupReloadsAndTermOrIntTerminates() throws {
        let events = Mutex<[SignalWatcher.Event]>([])
        let (logger, logs) = CapturingLogHandler.logger()
        let watcher = SignalWatcher(logger: logger) { event in
            events.withLock { $0.append(event) }
        }
        try watcher.start()
        // Thread-directed signals: the test runner's other threads do not block these signals,
        // so a process-wide kill would end the whole test run.
        try watcher.sendToWatcherThread(SIGHUP)
        #expect(eventually { events.withLock { $0.count } == 1 })
        try watcher.sendToWatcherThread(SIGTERM)
        #expect(eventually { events.withLock { $0.count } == 2 })
        try watcher.sendToWatcherThread(SIGINT)
        #expect(eventually { events.withLock { $0.count } == 3 })
        watcher.stop()

        #expect(events.withLock { $0 } == [.reload, .terminate, .terminate])
        #expect(logs.all.contains { $0.contains("signal=SIGHUP") })
        #expect(logs.all.contains { $0.contains("signal=SIGINT") })
    }

    @Test func startingLeavesTheCallersMaskAsItWas() throws {
        var before = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &before)
        let watcher = SignalWatcher(logger: Logger(label: "test")) { _ in }
        try watcher.start()
        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        watcher.stop()
        for signal in SignalWatcher.handledSignals {
            #expect(sigismember(&before, signal) == sigismember(&after, signal))
        }
    }
}
