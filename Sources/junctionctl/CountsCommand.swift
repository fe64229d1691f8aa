import ArgumentParser
import Diagnostics

/// `junctionctl counts`: volume and occupancy per detector, greens and their ends per group.
struct CountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counts", abstract: "Volume and occupancy per detector, and how greens ended per group.")

    @OptionGroup var client: ClientOptions

    func run() throws {
        let reply = try Client.call(.counts, options: client)
        if client.json { return Client.printJSON(reply) }
        let report = try Client.decode(CountsReport.self, reply, options: client)
        print("counts from t \(TextFormat.seconds(report.sinceTick)) to t \(TextFormat.seconds(report.tick))")
        var detectors = [["#", "detector", "volume", "last 60 s", "occupancy", "last 60 s"]]
        for detector in report.detectors {
            detectors.append([
                "\(detector.number)", detector.name, "\(detector.actuations)", "\(detector.recentActuations)",
                TextFormat.percent(permille: detector.occupancyPermille),
                TextFormat.percent(permille: detector.recentOccupancyPermille),
            ])
        }
        print(TextFormat.table(detectors, rightAligned: [0, 2, 3, 4, 5]))
        print("")
        var groups = [["#", "group", "greens", "gap-out", "max-out", "force-off", "ended"]]
        for group in report.groups {
            groups.append([
                "\(group.number)", group.name, "\(group.greens)", "\(group.gapOuts)", "\(group.maxOuts)",
                "\(group.forceOffs)", "\(group.terminations)",
            ])
        }
        print(TextFormat.table(groups, rightAligned: [0, 2, 3, 4, 5, 6]))
    }
}
