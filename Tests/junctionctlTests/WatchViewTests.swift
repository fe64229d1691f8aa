import Diagnostics
import JunctionConfig
import XCTest

@testable import junctionctl

/// The watch view fits the screen it is given and says where a stage change stands.
final class WatchViewTests: XCTestCase {
    /// The built-in Cirebon junction (12 groups, 17 detectors): more than fits 24 rows one per line.
    private func config() throws -> ConfigReport {
        let loaded = try JunctionConfigLoader().load(source: BuiltInJunctions.cirebon4Arm, name: "built-in")
        return ConfigReport(junction: loaded.junction, source: "built-in", summary: "", settings: [:])
    }

    /// A status of `config`'s junction changing from stage 3 to stage 1 with 2.4 s of intergreen left.
    private func status(_ config: ConfigReport) -> StatusReport {
        let groups = config.groups.map { group in
            StatusReport.Group(
                number: group.number, name: group.name, kind: group.kind, state: group.number % 3 == 0 ? "flashing-dont-walk" : "amber",
                intervalTenths: 1234, call: true, lastTermination: "force-off")
        }
        let detectors = config.detectors.map { detector in
            StatusReport.Detector(
                number: detector.number, name: detector.name, occupied: true, health: detector.number == 2 ? "max-presence" : "ok",
                recentActuations: 123, recentOccupancyPermille: 1000)
        }
        var report = StatusReport(
            junction: config.name, tick: 123_456, mode: "normal", flashReason: nil,
            stage: .init(number: 1, name: config.stages[0].name), inTransition: true, timeInStageTenths: 0,
            plan: "weekday_peak", hold: true, flashRequest: nil, fault: nil, detectorFaults: [detectors[1]],
            groups: groups, detectors: detectors,
            loop: .init(
                ticks: 1, overruns: 12_345, missedTicks: 0, latenessP50Nanoseconds: 999_999, latenessP99Nanoseconds: 999_999_999,
                latenessP999Nanoseconds: 999_999_999, latenessMaxNanoseconds: 999_999_999, maxTickWorkNanoseconds: 0),
            counters: .init(
                unconfirmedOutputTicks: 0, watchdogToggles: 0, requestsDropped: 0, reloadsApplied: 0, reloadsRefused: 0,
                reloadWaitTicks: 0, droppedEvents: 0, journalLastSequence: 0, journalOverwritten: 0),
            field: .init(
                detectors: .init(backend: "simulated", reads: 0, writes: 0, retries: 0, drops: 0, faults: 0),
                outputs: .init(backend: "simulated", reads: 0, writes: 0, retries: 0, drops: 0, faults: 0)),
            server: ServerCounters(clients: 16, maxClients: 16))
        report.leavingStage = .init(number: 3, name: config.stages[2].name)
        report.intergreenRemainingTenths = 24
        return report
    }

    func testAFrameFits80x24WithTheHeaderOnTopAndEveryDetector() throws {
        let config = try config()
        for colour in [false, true] {
            let view = WatchView(config: config, colour: colour, columns: 80, rows: 24)
            let lines = view.render(status(config))
            XCTAssertLessThanOrEqual(lines.count, 24, lines.joined(separator: "\n"))
            for line in lines {
                XCTAssertLessThanOrEqual(TextFormat.visibleLength(line), 80, line)
            }
            XCTAssertTrue(lines[0].contains("junctiond  \(config.name)"), lines[0])
            let text = lines.joined(separator: "\n")
            for detector in config.detectors {
                XCTAssertTrue(text.contains(detector.name), "\(detector.name) missing:\n\(text)")
            }
            for group in config.groups {
                XCTAssertTrue(lines.contains { $0.hasPrefix(TextFormat.padLeft("\(group.number)", 2) + "  ") }, text)
            }
        }
    }

    func testRedrawRepaintsFromHomeWithoutScrolling() throws {
        let config = try config()
        let frame = WatchView(config: config, colour: true, columns: 80, rows: 24).redraw(status(config))
        XCTAssertTrue(frame.hasPrefix("\u{1B}[H"))
        XCTAssertTrue(frame.hasSuffix("\u{1B}[J"))
        // 24 lines need 23 line feeds; a 24th would scroll the header off the top.
        XCTAssertLessThanOrEqual(frame.filter { $0 == "\n" }.count, 23)
    }

    func testAStageChangeSaysLeavingAndTheIntergreenLeft() throws {
        let config = try config()
        var report = status(config)
        let first = "stage 1 \"\(config.stages[0].name)\""
        let third = "stage 3 \"\(config.stages[2].name)\""
        XCTAssertEqual(StageText.describe(report), "leaving \(third) -> \(first), intergreen 2.4 s left")
        let lines = WatchView(config: config, colour: false, columns: 80, rows: 24).render(report)
        XCTAssertTrue(lines[1].hasPrefix("leaving \(third) -> \(first), intergreen 2.4 s left"), lines[1])
        report.intergreenRemainingTenths = 0
        XCTAssertEqual(StageText.describe(report), "entering \(first) from \(third)")
        report.inTransition = false
        report.timeInStageTenths = 55
        XCTAssertEqual(StageText.describe(report, steady: "stage "), "\(first) for 5.5 s")
    }

    func testALargeTerminalGetsTheLegendAndAPipeGetsWholeFrames() throws {
        let config = try config()
        let wide = WatchView(config: config, colour: false, columns: 120, rows: 40).render(status(config))
        XCTAssertTrue(wide.contains { $0.hasPrefix("last end: ") })
        XCTAssertLessThanOrEqual(wide.count, 40)
    }

    /// `junctionctl status` says when the controller refused the schedule's choice, and which.
    func testStatusShowsTheScheduleChoicesRefused() throws {
        let config = try config()
        var report = status(config)
        report.schedule = .init(
            localTime: "2027-08-16 06:31:00", dayPlan: "weekday", plan: "weekday_peak", since: "2027-08-16 06:30",
            nextChange: nil, nextPlan: nil)
        XCTAssertFalse(StatusCommand.render(report).contains("refused, last"))
        report.schedule?.refusals = 2
        report.schedule?.lastRefusal = "plan weekday_peak: no plan named weekday_peak"
        XCTAssertTrue(
            StatusCommand.render(report).contains("2 refused, last plan weekday_peak: no plan named weekday_peak"),
            StatusCommand.render(report))
    }
}
