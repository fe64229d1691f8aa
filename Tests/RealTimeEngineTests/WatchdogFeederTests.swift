import Logging
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import RealTimeEngine

@Suite struct WatchdogFeederTests {
    /// A heartbeat the test moves by hand.
    final class ManualHeartbeat: Sendable {
        let value = Atomic<UInt64>(0)
        func beat() { value.wrappingAdd(1, ordering: .relaxed) }
        var current: UInt64 { value.load(ordering: .relaxed) }
    }

    @Test func feedsOnlyWhileTheHeartbeatAdvances() throws {
        let listener = try NotifySocketListener()
        let notifier = try SystemdNotifier(notifySocket: listener.address, watchdogMicroseconds: "2000000")
        let heartbeat = ManualHeartbeat()
        let (logger, logs) = CapturingLogHandler.logger()
        let feeder = WatchdogFeeder(heartbeat: { heartbeat.current }, logger: logger) { () throws(SystemError) in
            try notifier.send(.watchdog)
        }

        #expect(feeder.check() == .stalled, "no tick since the feeder was made")
        heartbeat.beat()
        #expect(feeder.check() == .fed)
        #expect(try listener.receive() == "WATCHDOG=1")

        // The loop stalls: checks go on, but nothing reaches the watchdog.
        #expect(feeder.check() == .stalled)
        #expect(feeder.check() == .stalled)
        #expect(try listener.receive(timeoutMilliseconds: 0) == nil)

        heartbeat.beat()
        heartbeat.beat()
        #expect(feeder.check() == .fed)
        #expect(try listener.receive() == "WATCHDOG=1")
        #expect(feeder.counts == WatchdogFeeder.Counts(fed: 2, stalled: 3, failed: 0))
        // Outcome changes are logged once each, not once per check.
        #expect(logs.all.filter { $0.contains("watchdog not fed") }.count == 2)
    }

    @Test func theFeedingThreadChecksOncePerIntervalOfItsClock() throws {
        let clock = ManualClock()
        let heartbeat = ManualHeartbeat()
        let feeder = WatchdogFeeder(heartbeat: { heartbeat.current }, logger: Logger(label: "test"), clock: clock) {
            () throws(SystemError) in
        }
        try feeder.start(intervalMicroseconds: 2_000_000)
        defer { feeder.stop() }
        // Each `waits` step below is the thread waiting again, so what it did before is done.
        #expect(eventually { clock.waits >= 1 })
        heartbeat.beat()

        clock.advance(by: 1_999_999_999)
        #expect(eventually { clock.waits >= 2 })
        #expect(feeder.counts == WatchdogFeeder.Counts(), "one nanosecond short of the interval")

        clock.advance(by: 1)
        #expect(eventually { clock.waits >= 3 })
        #expect(feeder.counts == WatchdogFeeder.Counts(fed: 1, stalled: 0, failed: 0))

        clock.advance(by: 2_000_000_000)
        #expect(eventually { clock.waits >= 4 })
        #expect(feeder.counts == WatchdogFeeder.Counts(fed: 1, stalled: 1, failed: 0))
    }

    @Test func aFailedSendIsReportedAndCounted() throws {
        let heartbeat = ManualHeartbeat()
        let (logger, logs) = CapturingLogHandler.logger()
        let refused = SystemError(call: "sendto(/run/systemd/notify)", code: 111)
        let feeder = WatchdogFeeder(heartbeat: { heartbeat.current }, logger: logger) { () throws(SystemError) in
            throw refused
        }
        heartbeat.beat()
        #expect(feeder.check() == .failed(refused))
        #expect(feeder.counts.failed == 1)
        #expect(logs.all.contains { $0.hasPrefix("warning watchdog notification failed") })
    }

    @Test func feedingThreadSendsWhileTheLoopTicksAndStops() throws {
        let listener = try NotifySocketListener()
        let notifier = try SystemdNotifier(notifySocket: listener.address)
        let heartbeat = ManualHeartbeat()
        let feeder = WatchdogFeeder(heartbeat: { heartbeat.current }, logger: Logger(label: "test")) {
            () throws(SystemError) in try notifier.send(.watchdog)
        }
        heartbeat.beat()
        try feeder.start(intervalMicroseconds: 1_000)
        #expect(try listener.receive() == "WATCHDOG=1")
        feeder.stop()
        #expect(feeder.counts.fed == 1, "one beat feeds once however often the thread checks")
    }

    @Test func aHeldRealTimeLoopStarvesTheWatchdog() throws {
        let listener = try NotifySocketListener()
        let notifier = try SystemdNotifier(notifySocket: listener.address)
        let loop = try RealTimeLoop(periodNanoseconds: 5_000_000, logger: Logger(label: "test"))
        let feeder = WatchdogFeeder(loop: loop, notifier: notifier, logger: Logger(label: "test"))
        _ = try loop.start { _ in }
        defer { loop.stop() }

        #expect(eventually { loop.heartbeat >= 2 })
        #expect(feeder.check() == .fed)
        #expect(try listener.receive() == "WATCHDOG=1")

        loop.holdForTesting()
        #expect(eventually { loop.isHeldForTesting })
        feeder.check()  // may still see ticks from before the hold
        let frozen = loop.heartbeat
        #expect(feeder.check() == .stalled)
        #expect(feeder.check() == .stalled)
        #expect(loop.heartbeat == frozen)

        loop.releaseForTesting()
        #expect(eventually { loop.heartbeat > frozen })
        #expect(feeder.check() == .fed)
    }
}
