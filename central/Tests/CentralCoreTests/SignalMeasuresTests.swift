@testable import CentralCore
import Foundation
import SignalCore
import Testing
import Wire

/// Each measure on hand-built event sequences whose answers are worked out in the comments, including the edges
/// atspm's queries define: a cycle across a bin edge, a detector on before green, no events, no detector map.
@Suite struct SignalMeasuresTests {
    /// 2025-12-03 00:00 UTC, on a 15-minute bin edge.
    static let start: Int64 = 1_764_720_000
    static let bins = MeasureBins(minutes: 15)

    /// Detector 1 a stop line and 2 an advance loop of phase 1, 3 a push button of phase 2.
    static let layout: JunctionLayout = {
        var layout = JunctionLayout(groupCount: 2, stageCount: 1, detectorCount: 0)
        layout.detectors = [
            .init(name: "N_stop", placement: "stop_line", phases: [1]),
            .init(name: "N_advance", placement: "advance", phases: [1]),
            .init(name: "PN_button", placement: "push_button", phases: [2]),
        ]
        return layout
    }()

    /// The event `seconds` after `start`.
    func event(_ seconds: Double, _ code: EventCode, _ parameter: Int) -> EventRecord {
        EventRecord(
            timeMilliseconds: UInt64(Self.start * 1000 + Int64((seconds * 1000).rounded())), code: code.rawValue,
            parameter: UInt16(parameter))
    }

    func measures(_ events: [EventRecord], layout: JunctionLayout? = layout) -> SignalMeasures {
        let ordered = events.sorted { $0.timeMilliseconds < $1.timeMilliseconds }
        return SignalMeasures(
            junctionID: 1, fromSeconds: Self.start, toSeconds: Self.start + 86_400, bins: Self.bins, events: ordered,
            layout: layout)
    }

    @Test func aCycleIsGreenAmberAndRedClearanceWithWhatEndedTheGreen() {
        let result = measures([
            // Begins in amber: its green is before the range, so it is no cycle.
            event(-5, .phaseBeginAmber, 1), event(-2, .phaseBeginRedClearance, 1), event(0, .phaseEndRedClearance, 1),
            event(10, .phaseBeginGreen, 1), event(30, .phaseGapOut, 1), event(30, .phaseBeginAmber, 1),
            event(33, .phaseBeginRedClearance, 1), event(35, .phaseEndRedClearance, 1),
            // The max-out logged after the amber at the same millisecond still ends this green.
            event(70, .phaseBeginGreen, 1), event(100, .phaseBeginAmber, 1), event(100, .phaseMaxOut, 1),
            event(103.5, .phaseBeginRedClearance, 1), event(105, .phaseEndRedClearance, 1),
            // Unfinished at the end of the range.
            event(130, .phaseBeginGreen, 1), event(150, .phaseBeginAmber, 1),
        ])
        #expect(result.cycles.count == 2)
        let first = result.cycles[0]
        #expect(first.greenStartMs == (Self.start + 10) * 1000)
        #expect((first.greenS, first.amberS, first.redClearanceS, first.splitS) == (20, 3, 2, 25))
        #expect(first.termination == "gap_out")
        let second = result.cycles[1]
        #expect((second.greenS, second.amberS, second.redClearanceS, second.splitS) == (30, 3.5, 1.5, 35))
        #expect(second.termination == "max_out")
    }

    @Test func withoutAnEndRedClearanceTheNextPhaseSwitchedOnEndsIt() throws {
        let result = measures([
            event(0, .phaseBeginGreen, 1), event(20, .phaseForceOff, 1), event(20, .phaseBeginAmber, 1),
            event(23, .phaseBeginRedClearance, 1),
            // Phase 1's own phase on, and a walk before its red clearance began, end nothing.
            event(10, .pedBeginWalk, 9), event(23.5, .phaseOn, 1),
            // Phase 2 switched on (red-amber) 2 s into the red clearance: the all-red ended.
            event(25, .phaseOn, 2), event(26, .phaseBeginGreen, 2),
        ])
        #expect(result.cycles.count == 1)
        let cycle = try #require(result.cycles.first)
        #expect((cycle.redClearanceS, cycle.splitS, cycle.endMs) == (2, 25, (Self.start + 25) * 1000))
        #expect(cycle.termination == "force_off")
    }

    @Test func terminationsAreCountedInTheBinOfTheirOwnTime() {
        let result = measures([
            event(100, .phaseGapOut, 1), event(200, .phaseGapOut, 1), event(899.9, .phaseForceOff, 1),
            event(900, .phaseMaxOut, 1), event(300, .phaseGapOut, 3),
        ])
        #expect(
            result.terminations == [
                TerminationBin(binStart: Self.start, phase: 1, gapOut: 2, maxOut: 0, forceOff: 1),
                TerminationBin(binStart: Self.start, phase: 3, gapOut: 1, maxOut: 0, forceOff: 0),
                TerminationBin(binStart: Self.start + 900, phase: 1, gapOut: 0, maxOut: 1, forceOff: 0),
            ])
    }

    @Test func splitFailureNeedsBothOccupanciesAtLeast079() throws {
        let result = measures([
            // On before the first green: occupied from green start.
            event(-2, .detectorOn, 1),
            event(0, .phaseBeginGreen, 1), event(9, .detectorOff, 1), event(10, .phaseBeginAmber, 1),
            event(13, .phaseBeginRedClearance, 1), event(14, .detectorOn, 1), event(18.5, .detectorOff, 1),
            // Cycle 1: green 9 of 10 s occupied (0.9), red 14–18 of 13–18 (0.8): a split failure.
            event(40, .phaseBeginGreen, 1), event(45, .detectorOn, 1), event(46, .detectorOff, 1),
            event(50, .phaseBeginAmber, 1), event(53, .phaseBeginRedClearance, 1),
            // Cycle 2: green 1 of 10 s (0.1), red 0: no failure.
            event(100, .phaseEndRedClearance, 1),
        ])
        let bin = try #require(result.splitFailures.first)
        #expect(result.splitFailures.count == 1)
        #expect((bin.binStart, bin.phase, bin.cycles, bin.splitFailures) == (Self.start, 1, 2, 1))
        #expect(abs(bin.greenTimeS - 10) < 1e-9)
        #expect(abs(bin.greenOccupancy - 0.5) < 1e-9)
        #expect(abs(bin.redOccupancy - 0.4) < 1e-9)
    }

    @Test func aSplitFailureCycleBelongsToTheBinOfItsRedWindowsEnd() {
        let cycle: [EventRecord] = [
            event(0, .detectorOn, 1),
            event(880, .phaseBeginGreen, 1), event(895, .phaseBeginAmber, 1), event(897, .phaseBeginRedClearance, 1),
        ]
        // The red window would end at 902 s, past the end of the last event's bin (900 s): atspm drops the cycle.
        #expect(measures(cycle).splitFailures.isEmpty)
        // With an event in the next bin the window ends there, so the cycle is counted at 900 s, not at its green.
        let counted = measures(cycle + [event(1000, .phaseBeginGreen, 3)]).splitFailures
        #expect(counted.map(\.binStart) == [Self.start + 900])
        #expect(counted.map(\.splitFailures) == [1])
    }

    @Test func aCycleBeforeAnyDetectorEventHasNoKnownOccupancyAndIsLeftOut() {
        let result = measures([
            event(0, .phaseBeginGreen, 1), event(10, .phaseBeginAmber, 1), event(13, .phaseBeginRedClearance, 1),
            // The first detector event comes after cycle 1's green: only cycle 2 knows its occupancy at every row.
            event(25, .detectorOn, 1), event(30, .phaseBeginGreen, 1), event(31, .detectorOff, 1),
            event(40, .phaseBeginAmber, 1), event(43, .phaseBeginRedClearance, 1), event(60, .phaseBeginGreen, 3),
        ])
        #expect(result.splitFailures.map(\.cycles) == [1])
        #expect(result.splitFailures.map(\.greenOccupancy) == [0.1])
    }

    @Test func twoOnsWithoutAnOffAreRepairedAsAtspmDoes() {
        // Ons 1.5 s apart: an off at the second on; ons 5 s apart: an off half-way; a leading off: an on 1 ms before.
        func stamps(_ list: [(Int64, Bool)]) -> [Stamp] {
            list.map { Stamp(time: $0.0, code: ($0.1 ? EventCode.detectorOn : .detectorOff).rawValue) }
        }
        let steps = SplitFailureBin.repaired(
            stamps([(0, true), (1500, true), (6500, true), (7000, false), (9000, false)]))
        #expect(steps.map(\.time) == [0, 1500, 1500, 4000, 6500, 7000, 8000, 9000])
        #expect(steps.map(\.step) == [1, -1, 1, -1, 1, -1, 1, -1])
        let leading = SplitFailureBin.repaired(stamps([(500, false)]))
        #expect(leading.map(\.time) == [499, 500])
    }

    @Test func arrivalsOnGreenAndTheCoordinationDiagram() throws {
        let result = measures([
            event(-5, .detectorOn, 2),
            event(0, .phaseBeginGreen, 1), event(0, .detectorOn, 2), event(10, .detectorOn, 2),
            event(20, .phaseBeginAmber, 1), event(20, .detectorOn, 2), event(23, .phaseBeginRedClearance, 1),
            event(30, .detectorOn, 2),
            event(60, .phaseBeginGreen, 1), event(70, .detectorOn, 2), event(80, .phaseBeginAmber, 1),
            event(83, .phaseBeginRedClearance, 1), event(100, .detectorOn, 2), event(120, .phaseBeginGreen, 1),
            // A stop-line on is no arrival.
            event(5, .detectorOn, 1),
        ])
        // On green: the arrival at the green's own millisecond, 10 s and 70 s; not the one at the amber's.
        // The arrival 5 s before the range's first green is in the bin before, and not on green.
        #expect(result.arrivalsOnGreen.count == 2)
        let before = try #require(result.arrivalsOnGreen.first)
        #expect(
            (before.binStart, before.phase, before.totalArrivals, before.greenArrivals) == (Self.start - 900, 1, 1, 0))
        #expect(before.percentArrivalsOnGreen == 0)
        let bin = try #require(result.arrivalsOnGreen.last)
        #expect((bin.binStart, bin.phase, bin.totalArrivals, bin.greenArrivals) == (Self.start, 1, 6, 3))
        #expect(bin.percentArrivalsOnGreen == 0.5)
        #expect(
            result.coordinationCycles == [
                CoordinationCycle(
                    phase: 1, greenStartMs: Self.start * 1000, amberStartMs: (Self.start + 20) * 1000,
                    redStartMs: (Self.start + 23) * 1000, endMs: (Self.start + 60) * 1000),
                CoordinationCycle(
                    phase: 1, greenStartMs: (Self.start + 60) * 1000, amberStartMs: (Self.start + 80) * 1000,
                    redStartMs: (Self.start + 83) * 1000, endMs: (Self.start + 120) * 1000),
            ])
        #expect(result.coordinationArrivals.map(\.cycleS) == [0, 10, 20, 30, 10, 40])
        #expect(result.coordinationArrivals.map(\.onGreen) == [true, true, false, false, true, false])
    }

    @Test func volumesKeepStopLineAndAdvanceApartAndLeavePushButtonsOut() {
        let result = measures([
            event(1, .detectorOn, 1), event(2, .detectorOff, 1), event(3, .detectorOn, 1), event(4, .detectorOn, 1),
            event(900, .detectorOn, 1), event(5, .detectorOn, 2), event(6, .detectorOn, 2), event(7, .detectorOn, 3),
        ])
        #expect(
            result.detectorVolumes == [
                DetectorVolumeBin(binStart: Self.start, detector: 1, placement: "stop_line", volume: 3),
                DetectorVolumeBin(binStart: Self.start, detector: 2, placement: "advance", volume: 2),
                DetectorVolumeBin(binStart: Self.start, detector: 3, placement: "push_button", volume: 1),
                DetectorVolumeBin(binStart: Self.start + 900, detector: 1, placement: "stop_line", volume: 1),
            ])
        #expect(
            result.approachVolumes == [
                ApproachVolumeBin(binStart: Self.start, phase: 1, stopLine: 3, advance: 2),
                ApproachVolumeBin(binStart: Self.start + 900, phase: 1, stopLine: 1, advance: 0),
            ])
    }

    @Test func pedestrianActuationsUniquePressesAndDelay() throws {
        let result = measures([
            event(10, .detectorOn, 3), event(10, .pedCallRegistered, 2),
            event(20, .detectorOn, 3),  // 10 s after the last press: the same person
            event(40, .detectorOn, 3),  // 20 s after: unique; not first after a clearance: no delay
            event(50, .pedBeginWalk, 2), event(57, .pedBeginClearance, 2),
            event(60, .detectorOn, 3),  // first after the clearance: waits until the walk at 90 s
            event(90, .pedBeginWalk, 2),
        ])
        let bin = try #require(result.pedestrian.first)
        #expect(result.pedestrian.count == 1)
        #expect(
            (bin.phase, bin.pedCalls, bin.pedActuations, bin.uniquePedActuations, bin.pedServices) == (2, 1, 4, 2, 2))
        // The first press of the range waited 40 s (to 50 s), the one at 60 s waited 30 s.
        #expect(bin.pedDelaySamples == 2)
        #expect(bin.pedDelayS == 35)
    }

    @Test func noEventsGiveEmptyMeasures() {
        let result = measures([])
        #expect(result.cycles.isEmpty && result.terminations.isEmpty && result.splitFailures.isEmpty)
        #expect(result.arrivalsOnGreen.isEmpty && result.coordinationArrivals.isEmpty && result.pedestrian.isEmpty)
        #expect(result.detectorVolumes.isEmpty && result.approachVolumes.isEmpty)
        #expect(result.detectorMap && result.notes.isEmpty)
    }

    @Test func withoutADetectorMapTheMeasuresThatNeedOneSaySoInsteadOfGuessing() {
        let events = [
            event(-2, .detectorOn, 1), event(0, .phaseBeginGreen, 1), event(5, .detectorOn, 2),
            event(10, .phaseBeginAmber, 1), event(13, .phaseBeginRedClearance, 1), event(15, .pedBeginWalk, 2),
            event(20, .detectorOn, 3), event(100, .phaseBeginGreen, 1),
        ]
        let generic = JunctionLayout(groupCount: 2, stageCount: 1, detectorCount: 3)
        for layout in [nil, generic] {
            let result = measures(events, layout: layout)
            #expect(!result.detectorMap)
            #expect(result.notes.count == 1 && result.notes[0].hasPrefix("no detector map"))
            #expect(result.splitFailures.isEmpty && result.arrivalsOnGreen.isEmpty && result.approachVolumes.isEmpty)
            #expect(result.coordinationCycles.isEmpty)
            #expect(result.detectorVolumes.map(\.placement) == ["unknown", "unknown", "unknown"])
            #expect(result.pedestrian.map(\.pedActuations) == [0])
            #expect(result.pedestrian.map(\.pedServices) == [1])
        }
    }

    @Test func aJunctionFileGivesEachDetectorItsPhases() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../hardware/junctions/cirebon-4arm.toml").standardized.path
        let layout = try JunctionLayout.load(path: path)
        #expect(layout.detectors[0].phases == [1])
        #expect(layout.detectors[1].placement == "advance")
        #expect(layout.detectors[1].phases == [1])
    }
}
