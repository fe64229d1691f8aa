import Glibc
import Logging
import RuntimeTestSupport
import Synchronization
import SystemInterface
import Testing

@testable import RealTimeEngine

@Suite struct RealTimeLoopTests {
    /// What the tick closure saw, shared with the test thread.
    final class TickRecord: Sendable {
        let numbers = Mutex<[Int]>([])
        let scheduling = Mutex<(policy: CInt, priority: CInt, slack: Int)?>(nil)
    }

    @Test func twentyTicksAtTenMillisecondsAreNumberedAndMeasured() throws {
        let loop = try RealTimeLoop(periodNanoseconds: 10_000_000, logger: Logger(label: "test"))
        let record = TickRecord()
        record.numbers.withLock { $0.reserveCapacity(32) }
        let started = Clocks.monotonicNanoseconds()
        let grant = try loop.start { tick in
            record.numbers.withLock { $0.append(tick) }
            if tick == 19 {
                loop.requestStop()
            }
        }
        #expect(grant.summary == "none")
        #expect(eventually { loop.heartbeat == 20 })
        loop.stop()
        let elapsed = Clocks.monotonicNanoseconds() - started

        #expect(record.numbers.withLock { $0 } == Array(0..<20))
        #expect(loop.heartbeat == 20)
        let statistics = loop.statistics()
        #expect(statistics.ticks == 20)
        #expect(statistics.lateness.count == 20)
        // Reading the clock after waking always finds it past the deadline.
        #expect(statistics.lateness.maxNanoseconds > 0)
        #expect(statistics.lateness.p50Nanoseconds <= statistics.lateness.maxNanoseconds)
        #expect(statistics.overruns <= statistics.missedTicks)
        // Twenty absolute deadlines 10 ms apart cannot all pass in less than 200 ms.
        #expect(elapsed >= 200_000_000)
    }

    @Test func optionsApplyToTheLoopThreadOrAreListedAsRefused() throws {
        let (logger, _) = CapturingLogHandler.logger()
        let options = RealTimeOptions(fifoPriority: 10, timerSlackNanoseconds: 1, holdCPUDMALatencyZero: true)
        let loop = try RealTimeLoop(periodNanoseconds: 2_000_000, options: options, logger: logger)
        let record = TickRecord()
        let grant = try loop.start { _ in
            if record.scheduling.withLock({ $0 == nil }) {
                let scheduling = try? Syscall.currentThreadScheduling()
                let slack = (try? Syscall.currentThreadTimerSlackNanoseconds()) ?? -1
                record.scheduling.withLock { $0 = (scheduling?.policy ?? -1, scheduling?.priority ?? -1, slack) }
            }
        }
        #expect(eventually { loop.heartbeat >= 1 })
        loop.stop()

        let seen = try #require(record.scheduling.withLock { $0 })
        if grant.fifoPriority == 10 {
            #expect(seen.policy == SCHED_FIFO && seen.priority == 10)
        } else {
            #expect(grant.refusals.contains { $0.hasPrefix("SCHED_FIFO") })
        }
        if let slack = grant.timerSlackNanoseconds {
            // Kernels from 6.8 drop the slack of real-time threads to 0 instead of the 1 ns asked for.
            #expect(seen.slack == slack && slack <= 1, "grant: \(grant.summary)")
        } else {
            #expect(grant.refusals.contains { $0.hasPrefix("timer slack") })
        }
        #expect(grant.cpuDMALatencyHeld || grant.refusals.contains { $0.hasPrefix("/dev/cpu_dma_latency") })
        #expect(!grant.memoryLocked, "mlockall was not asked for")
        // The test thread itself keeps its ordinary policy: the options belong to the loop thread.
        #expect(try Syscall.currentThreadScheduling().policy == SCHED_OTHER)
    }

    @Test func aRefusedOptionIsLoggedAndTheLoopStillRuns() throws {
        let (logger, logs) = CapturingLogHandler.logger()
        let loop = try RealTimeLoop(
            periodNanoseconds: 2_000_000, options: RealTimeOptions(fifoPriority: 1_000), logger: logger
        )
        let grant = try loop.start { _ in }
        #expect(eventually { loop.heartbeat >= 3 })
        loop.stop()
        #expect(grant.fifoPriority == nil)
        #expect(grant.refusals == ["SCHED_FIFO 1000: EINVAL"])
        #expect(
            logs.all.contains { $0.hasPrefix("warning real-time option refused") && $0.contains("SCHED_FIFO 1000") }
        )
    }

    @Test func aHoldThatOutlastsAPeriodIsCountedAsAnOverrun() throws {
        let loop = try RealTimeLoop(periodNanoseconds: 1_000_000, logger: Logger(label: "test"))
        _ = try loop.start { _ in }
        #expect(eventually { loop.heartbeat >= 1 })
        loop.holdForTesting()
        #expect(eventually { loop.isHeldForTesting })
        // Waiting for the clock itself is the point here: the held tick must span several deadlines.
        let heldSince = Clocks.monotonicNanoseconds()
        Syscall.sleepUntil(monotonicNanoseconds: heldSince + 5_000_000)
        let beforeRelease = loop.heartbeat
        loop.releaseForTesting()
        #expect(eventually { loop.heartbeat > beforeRelease })
        loop.stop()

        let statistics = loop.statistics()
        #expect(statistics.overruns >= 1)
        #expect(statistics.missedTicks >= 4, "a 5 ms hold at a 1 ms period skips at least 4 deadlines")
        #expect(statistics.maxTickWorkNanoseconds >= 5_000_000)
        #expect(statistics.ticks == loop.heartbeat)
    }

    @Test func theTickAfterAHoldSeesTheWholeHoldAsItsWakeDelay() throws {
        let loop = try RealTimeLoop(periodNanoseconds: 1_000_000, logger: Logger(label: "test"))
        let delays = Mutex<[Int]>([])
        delays.withLock { $0.reserveCapacity(100_000) }
        _ = try loop.start { _ in
            let delay = loop.wakeDelayNanoseconds
            delays.withLock { $0.append(delay) }
        }
        #expect(eventually { loop.heartbeat >= 1 })
        loop.holdForTesting()
        #expect(eventually { loop.isHeldForTesting })
        let heldSince = Clocks.monotonicNanoseconds()
        Syscall.sleepUntil(monotonicNanoseconds: heldSince + 20_000_000)
        let beforeRelease = loop.heartbeat
        loop.releaseForTesting()
        #expect(eventually { loop.heartbeat > beforeRelease + 1 })
        loop.stop()

        let seen = delays.withLock { $0 }
        // The held tick woke before the hold began and the next one after it ended: the whole hold,
        // less one period, is that tick's delay.
        let afterHold = seen[Int(beforeRelease)]
        #expect(afterHold >= 19_000_000, "wake delay \(afterHold) ns after a 20 ms hold")
        #expect(seen.allSatisfy { $0 >= 0 })
    }

    @Test func stopEndsTheThreadAndTheHeartbeatStaysPut() throws {
        let loop = try RealTimeLoop(periodNanoseconds: 1_000_000, logger: Logger(label: "test"))
        _ = try loop.start { _ in }
        #expect(eventually { loop.heartbeat >= 2 })
        loop.stop()
        let after = loop.heartbeat
        let probe = try RealTimeLoop(periodNanoseconds: 1_000_000, logger: Logger(label: "probe"))
        // Let a second loop tick a few times, long enough for a still-running first loop to show.
        _ = try probe.start { _ in }
        #expect(eventually { probe.heartbeat >= 5 })
        probe.stop()
        #expect(loop.heartbeat == after)
    }
}
