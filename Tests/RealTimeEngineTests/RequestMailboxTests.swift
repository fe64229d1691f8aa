import SignalCore
import Testing

@testable import RealTimeEngine

/// The mailbox's answers under a flood of requests: an answer pushed out of the ring is reported
/// forgotten, never as still pending (a poster would wait for it forever), and a reload's answer is
/// kept apart, so no number of requests can push it out.
@Suite struct RequestMailboxTests {
    /// Fills the mailbox with calls and ticks once, `rounds` times.
    private func flood(_ day: ScheduleDriverTests.Day, rounds: Int) {
        for _ in 0..<rounds {
            while day.engine.mailbox.post(.forceCall(detector: 0)) != nil {}
            day.tick += 1
            day.engine.tick(day.tick)
        }
    }

    @Test func anAnswerPushedOutByLaterRequestsIsForgotten() throws {
        let day = try ScheduleDriverTests.Day()
        day.run(seconds: 10)
        let mailbox = day.engine.mailbox
        let first = try #require(mailbox.post(.forceCall(detector: 0)))
        #expect(mailbox.answer(for: first) == .pending)
        day.run(seconds: 1)
        #expect(mailbox.answer(for: first) == .answered(.accepted))

        flood(day, rounds: 2)
        #expect(mailbox.answer(for: first) == .forgotten)
        let waiting = try #require(mailbox.post(.forceCall(detector: 0)))
        #expect(mailbox.answer(for: waiting) == .pending)
        day.run(seconds: 1)
        #expect(mailbox.answer(for: waiting) == .answered(.accepted))
    }

    @Test func aReloadsAnswerOutlastsAFloodOfRequests() throws {
        let day = try ScheduleDriverTests.Day()
        day.run(seconds: 10)
        let reload = day.engine.postReload(day.configuration.junction, adaptive: day.configuration.adaptive)
        #expect(day.engine.mailbox.reloadOutcome(of: reload) == nil)
        day.run(seconds: 120)
        #expect(day.engine.mailbox.reloadOutcome(of: reload) == .accepted)

        flood(day, rounds: 10)
        #expect(day.engine.mailbox.reloadOutcome(of: reload) == .accepted)
        #expect(day.status.fault == nil)
    }
}
