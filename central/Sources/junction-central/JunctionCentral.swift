import ArgumentParser

/// `junction-central`: receives the junctions' authenticated reports, polls them, stores what they send and serves
/// the city's live dashboard.
@main
struct JunctionCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junction-central",
        abstract: "The city side of junctiond: authenticated UDP reports and polls, a SQLite store, a live dashboard.",
        subcommands: [Serve.self, CheckConfig.self, Bench.self],
        defaultSubcommand: Serve.self)
}
