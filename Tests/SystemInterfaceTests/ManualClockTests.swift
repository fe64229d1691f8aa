import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@Suite struct ManualClockTests {
    @Test func readsWhatTheTestLeftAndCountsTheReads() {
        let clock = ManualClock(startNanoseconds: 42)
        #expect(clock.nowNanoseconds() == 42)
        #expect(clock.nowNanoseconds() == 42, "time stands still until moved")
        clock.advance(by: 8)
        #expect(clock.nowNanoseconds() == 50)
        #expect(clock.reads == 3)
    }

    @Test func aWaitAlreadyDueReturnsAtOnce() throws {
        let clock = ManualClock(startNanoseconds: 100)
        clock.wait(untilNanoseconds: 100, orWake: try WakePipe())
        clock.wait(untilNanoseconds: 5, orWake: try WakePipe())
        #expect(clock.waits == 2)
    }

    @Test func aWaitingThreadReturnsWhenTheClockIsMovedToItsDeadline() throws {
        let clock = ManualClock()
        let wake = try WakePipe()
        let returned = Atomic<Bool>(false)
        let waiter = try PosixThread(name: "clock-test") {
            // Spurious returns are allowed by the contract; the caller re-checks, as here.
            while clock.nowNanoseconds() < 1_000 {
                clock.wait(untilNanoseconds: 1_000, orWake: wake)
            }
            returned.store(true, ordering: .releasing)
        }
        #expect(eventually { clock.waits >= 1 })
        clock.advance(by: 999)
        #expect(eventually { clock.waits >= 2 }, "woken, found it short of the deadline, waiting again")
        let early = returned.load(ordering: .acquiring)
        #expect(!early)
        clock.advance(by: 1)
        waiter.join()
        let done = returned.load(ordering: .acquiring)
        #expect(done)
    }

    @Test func aWakeEndsAWaitBeforeItsDeadline() throws {
        let clock = ManualClock()
        let wake = try WakePipe()
        let waiter = try PosixThread(name: "clock-test") {
            clock.wait(untilNanoseconds: .max, orWake: wake)
        }
        #expect(eventually { clock.waits >= 1 })
        wake.wake()
        waiter.join()
        #expect(clock.nowNanoseconds() == 0)
    }
}

@Suite struct SystemClockTests {
    @Test func neverGoesBackAndAWaitEndsAtItsDeadline() throws {
        let clock = SystemClock()
        let start = clock.nowNanoseconds()
        let deadline = start + 2_000_000
        clock.wait(untilNanoseconds: deadline, orWake: try WakePipe())
        #expect(clock.nowNanoseconds() >= deadline)
    }

    @Test func aPendingWakeEndsTheWaitAtOnce() throws {
        let clock = SystemClock()
        let wake = try WakePipe()
        wake.wake()
        let start = clock.nowNanoseconds()
        clock.wait(untilNanoseconds: start + 3_600_000_000_000, orWake: wake)
        #expect(clock.nowNanoseconds() < start + 3_600_000_000_000)
    }
}

@Suite struct WakePipeTests {
    @Test func oneWaitConsumesEveryPendingWakeUp() throws {
        let pipe = try WakePipe()
        for _ in 0..<5 { pipe.wake() }
        #expect(pipe.wait(timeoutMilliseconds: 0))
        #expect(!pipe.wait(timeoutMilliseconds: 0), "a burst of wake-ups costs one pass")
    }
}
