import ArgumentParser
import Foundation
import JunctionConfig
import SignalCore

/// `junction-bench sumo`: junctiond's controller against SUMO's own programs, with SUMO in the loop.
///
/// The benchmark itself (network, demand, SUMO runs, metrics, the independent safety check) is
/// the Python harness in bench/sumo, which drives SUMO through TraCI and runs this executable's
/// `sumo peer` for every junctiond run, so the controller under test is the production one.
/// The subcommands that run the harness declare no options of their own: everything after the
/// subcommand, `--help` included, goes to bench/sumo/bench.py, so each option is declared once
/// (there) and `--help` lists them all.
struct SumoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sumo",
        abstract: "Adaptive timing against SUMO's static, actuated, delay_based and NEMA programs.",
        discussion: """
            Builds the benchmark junction, runs every scenario with every controller and prints the table \
            (see docs/sumo.md). `sumo control` runs one junction file against any SUMO network, `sumo check` \
            checks a junction file against the network, `sumo links` prints a traffic light's link table; \
            `sumo peer` is the lockstep end the harness starts. `sumo SUBCOMMAND --help` lists its options.
            """,
        subcommands: [SumoBenchCommand.self, SumoControlCommand.self, SumoCheckCommand.self, SumoLinksCommand.self,
                      SumoPeerCommand.self, SumoCorridorCommand.self, SumoCorridorPeerCommand.self],
        defaultSubcommand: SumoBenchCommand.self
    )
}

/// `junction-bench sumo bench`: the whole benchmark (the default of `junction-bench sumo`).
struct SumoBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run every scenario with every controller and print the table.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Options for bench/sumo/bench.py bench; --help lists them.")
    var options: [String] = []

    mutating func run() throws {
        throw ExitCode(try SumoLauncher().run(mode: "bench", options: options))
    }
}

/// `junction-bench sumo control`: one junction file driving one SUMO network's traffic light.
struct SumoControlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control",
        abstract: "Control a SUMO network's traffic light with a junction file's [sumo] mapping.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Options for bench/sumo/bench.py control; --help lists them.")
    var options: [String] = []

    mutating func run() throws {
        try JunctionFileCheck.refuseInvalid(mode: "control", options: options)
        throw ExitCode(try SumoLauncher().run(mode: "control", options: options))
    }
}

/// `junction-bench sumo check`: a junction file's [sumo] mapping and conflicts against the network.
struct SumoCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a junction file against a SUMO network: links exist, conflicts cover SUMO's foes.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Options for bench/sumo/bench.py check; --help lists them.")
    var options: [String] = []

    mutating func run() throws {
        try JunctionFileCheck.refuseInvalid(mode: "check", options: options)
        throw ExitCode(try SumoLauncher().run(mode: "check", options: options))
    }
}

/// `junction-bench sumo links`: a traffic light's link indices, for writing a [sumo] section.
struct SumoLinksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Print a SUMO traffic light's links: index, lanes, direction and the links SUMO calls its foes.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Options for bench/sumo/links.py; --help lists them.")
    var options: [String] = []

    mutating func run() throws {
        throw ExitCode(try SumoLauncher().run(mode: "links", options: options))
    }
}

/// `junction-bench sumo peer`: the controller in lockstep with the harness over stdin/stdout.
struct SumoPeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Run the controller in lockstep with the SUMO harness (one line per 0.1 s step)."
    )

    @Option(help: "Junction file with a [sumo] section.")
    var config: String

    @Option(help: "Override the file's [adaptive] strategy: actuated, saturation or advance.")
    var strategy: String?

    @Option(help: "Run this fixed-time plan of the junction file instead of actuated or adaptive control.")
    var plan: String?

    @Option(help: "Write the high-resolution event log (tick,code,parameter) to this CSV file.")
    var events: String?

    mutating func run() throws {
        let loaded: JunctionConfiguration
        do {
            loaded = try JunctionConfigLoader().load(path: config)
        } catch {
            throw ValidationError("\(error)")
        }
        var choice: AdaptiveSettings.Strategy?
        if let strategy {
            guard let parsed = AdaptiveSettings.Strategy(rawValue: strategy) else {
                throw ValidationError("--strategy must be actuated, saturation or advance")
            }
            choice = parsed
        }
        do {
            var peer = try SumoPeer(configuration: loaded, path: config, strategy: choice, plan: plan, eventsPath: events)
            throw ExitCode(peer.run())
        } catch let error as SumoPeer.StartError {
            throw ValidationError(error.description)
        }
    }
}
