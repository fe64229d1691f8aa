import ArgumentParser
import Foundation
import SignalCore

/// `junction-bench events`: the real `SignalController` on a junction file, in simulated time as fast as it runs,
/// driven by `DayTraffic`; every event of its high-resolution log (detector on/off and pedestrian pushes
/// included) is written as an Indiana/ATSPM CSV, `SignalId,Timestamp,EventCode,EventParam`.
///
/// Times are UTC, `YYYY-MM-DD HH:MM:SS.f` (the controller's 0.1 s tick). The controller runs actuated (no time
/// of day is fed to its schedule), so greens gap out and max out as the traffic asks. The same options give
/// the same file.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Write a simulated junction's high-resolution event log as an ATSPM CSV."
    )

    @Option(help: "Junction file; the built-in copy of the Cirebon example is used if it cannot be read.")
    var junction = BenchJunction.defaultPath

    @Option(help: "UTC time of the first tick, YYYY-MM-DDTHH:MM:SSZ.")
    var start = "2026-12-01T00:00:00Z"

    @Option(help: "Simulated hours (fractions allowed).")
    var hours = 24.0

    @Option(help: "Seed of the traffic.")
    var seed: UInt64 = 1

    @Option(help: "The SignalId column.")
    var signalID = "1"

    @Option(help: "The CSV file to write.")
    var output: String

    func validate() throws {
        guard hours > 0, hours <= 24 * 31 else { throw ValidationError("--hours: more than 0, at most 744") }
        guard Self.unixSeconds(start) != nil else { throw ValidationError("--start: YYYY-MM-DDTHH:MM:SSZ") }
        guard !signalID.isEmpty, !signalID.contains(where: { $0 == "," || $0.isNewline }) else {
            throw ValidationError("--signal-id: not empty, no comma or line break")
        }
    }

    func run() throws {
        let (junction, source) = try BenchJunction.load(junction)
        let startSeconds = Self.unixSeconds(start)!
        guard FileManager.default.createFile(atPath: output, contents: nil),
            let file = FileHandle(forWritingAtPath: output)
        else { throw ValidationError("--output: cannot write \(output)") }
        defer { try? file.close() }

        var traffic = DayTraffic(
            junction: junction, seed: seed, startSecondOfDay: Int(startSeconds % 86_400))
        var snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        let controller = SignalController(junction: junction)
        var text = "SignalId,Timestamp,EventCode,EventParam\n"
        var events = 0
        let ticks = Tenths((hours * 36_000).rounded())
        for tick in 1...ticks {
            traffic.fill(&snapshot, tick: tick, signals: controller.signals)
            controller.step(tick: tick, detectors: snapshot)
            for event in controller.tickEvents {
                text += signalID
                text += ","
                // Tick 1 is at --start, so the file covers [start, start + hours).
                text += Self.timestamp(startSeconds * 10 + Int64(event.tick - 1))
                text += ",\(event.code.rawValue),\(event.parameter)\n"
                events += 1
            }
            if text.utf8.count > 1 << 20 {
                file.write(Data(text.utf8))
                text = ""
            }
        }
        file.write(Data(text.utf8))
        print("events: \(events) from \(ticks) ticks of \(junction.name) (\(source)), seed \(seed), to \(output)")
    }

    /// Unix seconds of `YYYY-MM-DDTHH:MM:SSZ`, or nil if it is not that.
    static func unixSeconds(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0) }
        guard text.count == 20, text.hasSuffix("Z"), parts.count == 6, !parts.contains(nil) else { return nil }
        let date = LocalDate(year: parts[0]!, month: parts[1]!, day: parts[2]!)
        guard date.isValid, parts[3]! < 24, parts[4]! < 60, parts[5]! < 60, parts[3]! >= 0 else { return nil }
        return Int64(LocalDateTime(date: date, secondOfDay: parts[3]! * 3600 + parts[4]! * 60 + parts[5]!).localSeconds)
    }

    /// `YYYY-MM-DD HH:MM:SS.f` (UTC) of a time in tenths of a second since the Unix epoch.
    static func timestamp(_ tenths: Int64) -> String {
        let time = LocalDateTime(secondsSinceEpoch: Int(tenths / 10), utcOffsetSeconds: 0)
        let second = time.secondOfDay
        return "\(time.date) \(LocalDateTime.timeOfDay(second - second % 60)):\(second % 60 < 10 ? "0" : "")\(second % 60)."
            + "\(tenths % 10)"
    }
}
