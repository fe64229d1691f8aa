import ArgumentParser
import BuildInfo

/// `junction-central`: receives the junctions' authenticated reports, polls them, stores what they send and serves
/// the city's live dashboard.
@main
struct JunctionCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junction-central",
        abstract: "The city side of junctiond: authenticated UDP reports and polls, a SQLite store, a live dashboard.",
        discussion: """
            Exit status: 0 done, 1 failed, 2 invalid city file (check-config), 64 usage error (unknown \
            command or option, bad argument, or serve given a city file it cannot use).
            """,
        version: BuildInfo.versionLine("junction-central"),
        subcommands: [Serve.self, CheckConfig.self, Bench.self, ImportEvents.self],
        defaultSubcommand: Serve.self)
}
