import Glibc
import Testing

@testable import SystemInterface

/// The two bounded waits junction-bench's SUMO launcher alternates between: a blocked signal is
/// taken once and then no longer pending, and a child shows a status only once it has ended, which
/// reads as a shell shows it (the exit code, or 128 + the ending signal).
@Suite struct BoundedWaitTests {
    @Test func aBlockedSignalIsTakenOnceThenTheWaitTimesOut() throws {
        let previous = try Syscall.blockSignals([SIGUSR2])
        defer { try? Syscall.restoreSignalMask(previous) }
        // Thread-directed: the test runner's other threads do not block SIGUSR2.
        try Syscall.signalThread(pthread_self(), SIGUSR2)
        #expect(try Syscall.waitForSignal([SIGUSR2], milliseconds: 1000) == SIGUSR2)
        #expect(try Syscall.waitForSignal([SIGUSR2], milliseconds: 20) == nil)
    }

    @Test func aChildHasAStatusOnlyOnceItHasEnded() throws {
        let sleeper = try Syscall.spawn(["/bin/sleep", "30"], standardError: STDERR_FILENO)
        #expect(try Syscall.endedChildStatus(sleeper) == nil)
        Syscall.kill(sleeper, SIGKILL)
        let killed = try Syscall.waitForChild(sleeper)
        #expect(Syscall.exitCode(ofWaitStatus: killed) == nil)
        #expect(Syscall.shellStatus(ofWaitStatus: killed) == 128 + SIGKILL)

        let exiting = try Syscall.spawn(["/bin/sh", "-c", "exit 3"], standardError: STDERR_FILENO)
        var status: CInt?
        for _ in 0..<500 where status == nil {
            status = try Syscall.endedChildStatus(exiting)
            if status == nil { usleep(10_000) }
        }
        let ended = try #require(status)
        #expect(Syscall.exitCode(ofWaitStatus: ended) == 3)
        #expect(Syscall.shellStatus(ofWaitStatus: ended) == 3)
    }
}
