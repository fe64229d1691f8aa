import ArgumentParser
import Diagnostics

/// `junctionctl detectors`: state, counts, faults and diagnostics per detector.
struct DetectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detectors", abstract: "State, counts, faults and diagnostic limits of every detector.")

    @OptionGroup var client: ClientOptions

    func run() throws {
        let reply = try Client.call(.detectors, options: client)
        if client.json { return Client.printJSON(reply) }
        let report = try Client.decode(DetectorsReport.self, reply, options: client)
        var rows = [[
            "#", "detector", "groups", "function", "placement", "now", "health", "count", "60 s", "occupancy", "60 s",
            "limits (no activity / max presence / erratic)", "failed",
        ]]
        for detector in report.detectors {
            rows.append([
                "\(detector.number)", detector.name, detector.groups.joined(separator: ","),
                FileWords.function(detector.function), FileWords.placement(detector.placement), detector.occupied ? "occupied" : "clear", detector.health, "\(detector.actuations)",
                "\(detector.recentActuations)", TextFormat.percent(permille: detector.occupancyPermille),
                TextFormat.percent(permille: detector.recentOccupancyPermille),
                "\(Self.limit(detector.noActivityMinutes, "min")) / \(Self.limit(detector.maxPresenceMinutes, "min")) / "
                    + "\(Self.limit(detector.erraticPerMinute, "/min"))",
                FileWords.failedAction(detector.failedAction),
            ])
        }
        print("detectors at t \(TextFormat.seconds(report.tick))")
        print(TextFormat.table(rows, rightAligned: [0, 7, 8, 9, 10]))
    }

    private static func limit(_ value: Int, _ unit: String) -> String { value == 0 ? "off" : "\(value) \(unit)" }
}
