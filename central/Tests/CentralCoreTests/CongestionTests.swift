import CentralCore
import Foundation
import SignalCore
import Testing
import Wire

@Suite struct CongestionTests {
    private func change(_ seconds: Double, _ detector: UInt16, on: Bool) -> EventRecord {
        EventRecord(
            recordNumber: 1, timeMilliseconds: UInt64(seconds * 1000),
            code: (on ? EventCode.detectorOn : .detectorOff).rawValue, parameter: detector)
    }

    private func layout(_ placements: [String]) -> JunctionLayout {
        var layout = JunctionLayout(groupCount: 1, stageCount: 1, detectorCount: placements.count)
        for (index, placement) in placements.enumerated() { layout.detectors[index].placement = placement }
        return layout
    }

    @Test func occupancyIsTheShareOfTheWindowALoopWasOccupied() {
        var activity = DetectorActivity(windowMilliseconds: 100_000)
        // Loop 1: on 10 s before the window and off 20 s into it; then 30 s more, still on at the end.
        for event in [
            change(990, 1, on: true), change(1_020, 1, on: false), change(1_070, 1, on: true),
            // Loop 2: one 5 s vehicle, arriving out of order.
            change(1_055, 2, on: false), change(1_050, 2, on: true),
        ] {
            activity.record(event, receivedMilliseconds: 1_100_000)
        }
        let occupancy = activity.occupancyPermille(endingAt: 1_100_000)
        #expect(occupancy[0] == 500)
        #expect(occupancy[1] == 50)
        #expect(occupancy[2] == nil)
    }

    @Test func aChangeStampedFarAheadOfCentralsClockIsIgnored() {
        var activity = DetectorActivity(windowMilliseconds: 100_000)
        activity.record(change(1_000, 1, on: true), receivedMilliseconds: 1_000_000)
        // One change from a junction clock a day ahead: it must not carry the window's end along.
        activity.record(change(1_000 + 86_400, 1, on: false), receivedMilliseconds: 1_000_500)
        activity.record(change(1_050, 1, on: false), receivedMilliseconds: 1_050_000)
        #expect(activity.newestMilliseconds == 1_050_000)
        #expect(activity.occupancyPermille(endingAt: 1_100_000)[0] == 500)
    }

    @Test func onlyDetectorOnAndOffEventsCount() {
        var activity = DetectorActivity(windowMilliseconds: 60_000)
        activity.record(EventRecord(recordNumber: 1, timeMilliseconds: 5_000, code: EventCode.phaseBeginGreen.rawValue, parameter: 1), receivedMilliseconds: 5_000)
        #expect(activity.newestMilliseconds == nil)
        #expect(activity.occupancyPermille(endingAt: 10_000).isEmpty)
    }

    @Test func pruningKeepsEachLoopsStateAtTheWindowStart() {
        var activity = DetectorActivity(windowMilliseconds: 60_000)
        // Loop 1 turns on at 0 and stays on through thousands of other loop 2 changes.
        activity.record(change(0, 1, on: true), receivedMilliseconds: 0)
        for step in 0..<5_000 {
            activity.record(change(Double(step) * 0.5, 2, on: step % 2 == 0), receivedMilliseconds: 2_500_000)
        }
        let end: Int64 = 2_500_000
        #expect(activity.occupancyPermille(endingAt: end)[0] == 1000)
        #expect(activity.occupancyPermille(endingAt: end)[1] == 500)
    }

    @Test func advanceLoopsDecideOverStopLineLoopsAndTheWorstIsNamed() {
        let thresholds = CongestionThresholds(busyPermille: 150, congestedPermille: 300, windowMilliseconds: 300_000)
        let placements = ["stop_line", "advance", "advance", "push_button"]
        let level = CongestionLevel(
            occupancy: [0: 900, 1: 120, 2: 310, 3: 1000], layout: layout(placements), thresholds: thresholds,
            asOfMilliseconds: 42)
        #expect(level.level == .congested)
        #expect(level.occupancyPercent == 31.0)
        #expect(level.detector == "D3" && level.placement == "advance")
        let busy = CongestionLevel(
            occupancy: [1: 150], layout: layout(placements), thresholds: thresholds, asOfMilliseconds: 42)
        #expect(busy.level == .busy)
        let free = CongestionLevel(
            occupancy: [0: 900], layout: layout(["stop_line", "advance"]), thresholds: thresholds, asOfMilliseconds: 42)
        #expect(free.level == .free && free.detector == "D2" && free.occupancyPercent == 0)
        let stopLineOnly = CongestionLevel(
            occupancy: [0: 400], layout: layout(["stop_line"]), thresholds: thresholds, asOfMilliseconds: 42)
        #expect(stopLineOnly.level == .congested && stopLineOnly.placement == "stop_line")
    }

    @Test func withoutPlacementsOrDataTheLevelIsUnknownAndSaysWhy() {
        let thresholds = CongestionThresholds()
        let noFile = CongestionLevel(occupancy: [0: 900], layout: nil, thresholds: thresholds, asOfMilliseconds: 1)
        #expect(noFile.level == .unknown && noFile.reason?.contains("no junction file") == true)
        let buttons = CongestionLevel(
            occupancy: [0: 900], layout: layout(["push_button"]), thresholds: thresholds, asOfMilliseconds: 1)
        #expect(buttons.level == .unknown && buttons.reason?.contains("no stop-line or advance") == true)
        let quiet = CongestionLevel(occupancy: [:], layout: layout(["advance"]), thresholds: thresholds, asOfMilliseconds: nil)
        #expect(quiet.level == .unknown && quiet.occupancyPercent == nil)
    }
}
