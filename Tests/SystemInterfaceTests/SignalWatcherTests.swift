import Glibc
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import SystemInterface

@Suite struct SignalWatcherTests {
    @Test func hangupReloadsAndTermOrIntTerminates() throws {
        let events = Mutex<[SignalWatcher.Event]>([])
        let names = Mutex<[String]>([])
        let watcher = SignalWatcher { event, signalName in
            names.withLock { $0.append(signalName) }
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
        #expect(names.withLock { $0 } == ["SIGHUP", "SIGTERM", "SIGINT"])
    }

    /// A stray signal whose default action ends the process is taken and reported as ignored.
    @Test func straySignalsAreTakenNotFatal() throws {
        let events = Mutex<[SignalWatcher.Event]>([])
        let watcher = SignalWatcher { event, _ in events.withLock { $0.append(event) } }
        try watcher.start()
        let sent: [CInt] = [SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO]
        for (index, signal) in sent.enumerated() {
            try watcher.sendToWatcherThread(signal)
            #expect(eventually { events.withLock { $0.count } == index + 1 })
        }
        watcher.stop()
        #expect(events.withLock { $0 } == Array(repeating: .ignored, count: 6))
    }

    @Test func startingLeavesTheCallersMaskAsItWas() throws {
        var before = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &before)
        let watcher = SignalWatcher { _, _ in }
        try watcher.start()
        var after = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &after)
        watcher.stop()
        for signal in SignalWatcher.handledSignals {
            #expect(sigismember(&before, signal) == sigismember(&after, signal))
        }
    }
}
