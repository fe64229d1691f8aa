import Glibc
import RuntimeTestSupport
import Testing

@testable import SystemInterface

@Suite struct SystemdNotifierTests {
    @Test func unsetSocketDisablesEverySend() throws {
        let notifier = try SystemdNotifier(notifySocket: nil, watchdogMicroseconds: "10000000")
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogIntervalMicroseconds == nil)
        try notifier.send(.ready, .watchdog)
    }

    @Test func aManagerThatStopsReadingMakesSendsFailInsteadOfWaiting() throws {
        let listener = try NotifySocketListener()
        let notifier = try SystemdNotifier(notifySocket: listener.address)
        // The kernel queues a few datagrams per unix socket (net.unix.max_dgram_qlen, 10 here);
        // beyond that a blocking send would wait for the reader forever.
        var refused = 0
        for number in 0..<200 {
            do { try notifier.send(.status("line \(number)")) } catch { refused += 1 }
        }
        #expect(refused > 0)
        #expect(try listener.receive(timeoutMilliseconds: 1000) == "STATUS=line 0")
    }

    @Test func readyAndStatusArriveInOneDatagram() throws {
        let listener = try NotifySocketListener()
        let notifier = try SystemdNotifier(notifySocket: listener.address)
        try notifier.send(.ready, .status("running plan\nweekday"))
        #expect(try listener.receive() == "READY=1\nSTATUS=running plan weekday")
    }

    @Test func aLongStopAsksForMoreTimeInTheStoppingDatagram() throws {
        let listener = try NotifySocketListener()
        let notifier = try SystemdNotifier(notifySocket: listener.address)
        try notifier.send(.stopping, .extendTimeout(microseconds: 75_000_000))
        #expect(try listener.receive() == "STOPPING=1\nEXTEND_TIMEOUT_USEC=75000000")
    }

    @Test func abstractSocketReceivesWatchdog() throws {
        let listener = try NotifySocketListener(abstract: true)
        #expect(listener.address.hasPrefix("@"))
        let notifier = try SystemdNotifier(notifySocket: listener.address)
        try notifier.send(.watchdog)
        try notifier.send(.stopping)
        #expect(try listener.receive() == "WATCHDOG=1")
        #expect(try listener.receive() == "STOPPING=1")
    }

    @Test func watchdogIntervalIsHalfTheTimeout() throws {
        let notifier = try SystemdNotifier(
            notifySocket: "/run/systemd/notify", watchdogMicroseconds: "10000000", watchdogPID: "4242",
            processID: 4242
        )
        #expect(notifier.watchdogIntervalMicroseconds == 5_000_000)
    }

    @Test func watchdogMeantForAnotherProcessStaysOff() throws {
        let notifier = try SystemdNotifier(
            notifySocket: "/run/systemd/notify", watchdogMicroseconds: "10000000", watchdogPID: "1", processID: 4242
        )
        #expect(notifier.isEnabled)
        #expect(notifier.watchdogIntervalMicroseconds == nil)
    }

    @Test func malformedEnvironmentIsRejected() {
        #expect(throws: SystemdNotifier.ConfigurationError.badSocket("vsock:2:1234")) {
            try SystemdNotifier(notifySocket: "vsock:2:1234")
        }
        #expect(throws: SystemdNotifier.ConfigurationError.badSocket("/" + String(repeating: "x", count: 200))) {
            try SystemdNotifier(notifySocket: "/" + String(repeating: "x", count: 200))
        }
        #expect(throws: SystemdNotifier.ConfigurationError.badWatchdogMicroseconds("soon")) {
            try SystemdNotifier(notifySocket: "@notify", watchdogMicroseconds: "soon")
        }
        #expect(throws: SystemdNotifier.ConfigurationError.badWatchdogMicroseconds("0")) {
            try SystemdNotifier(notifySocket: "@notify", watchdogMicroseconds: "0")
        }
    }

    @Test func sendingToAMissingSocketIsATypedError() throws {
        let notifier = try SystemdNotifier(notifySocket: "/tmp/junction-no-such-dir-\(getpid())/notify")
        do {
            try notifier.send(.ready)
            Issue.record("a send to a missing socket must fail")
        } catch {
            #expect(error.code == ENOENT)
            #expect(error.call.hasPrefix("sendto("))
        }
    }
}
