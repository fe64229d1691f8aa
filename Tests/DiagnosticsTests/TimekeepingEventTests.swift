import SignalCore
import Testing

@testable import Diagnostics

/// Events 206-209 in words, with the wall-clock time they were journalled.
@Suite struct TimekeepingEventTests {
    let builder = ReportBuilder(junction: TestJunction.crossing())

    private func record(_ code: EventCode, _ parameter: Int) -> EventRecord {
        builder.event(
            sequence: 4, ControllerEvent(tick: 30, code: code, parameter: parameter),
            wallTimeMilliseconds: 1_764_745_200_123)
    }

    @Test func eachTimekeepingEventHasItsWireNameAndWords() {
        #expect(record(.flashEnded, Int(FlashReason.startup.rawValue)).subject == "startup flash ended")
        #expect(record(.flashEnded, Int(FlashReason.faultMonitor.rawValue)).subject == "fault-monitor flash ended")
        #expect(record(.tickStall, 3012).subject == "stalled 3012 ms")
        #expect(record(.clockStep, 3600).subject == "stepped +3600 s")
        #expect(record(.clockStep, -90).subject == "stepped -90 s")
        #expect(record(.clockSynchronisation, 0).subject == "unsynchronised beyond the limit")
        #expect(record(.clockSynchronisation, 1).subject == "synchronised")
        let names = [EventCode.flashEnded, .tickStall, .clockStep, .clockSynchronisation].map { record($0, 1).name }
        #expect(names == ["flash-ended", "tick-stall", "clock-step", "clock-synchronisation"])
    }

    @Test func theWallClockTimeTravelsWithTheEvent() {
        let event = record(.tickStall, 700)
        #expect(event.wallTimeMilliseconds == 1_764_745_200_123)
        #expect(event.tick == 30)
        #expect(builder.event(sequence: 1, ControllerEvent(tick: 1, code: .phaseOn, parameter: 1)).wallTimeMilliseconds == nil)
    }
}
