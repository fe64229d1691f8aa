import ArgumentParser
import Foundation
import JunctionConfig
import SignalCore

/// `junction-bench sumo corridor`: the corridor benchmark (bench/sumo/corridor.py), every junction
/// of a SUMO arterial or grid run by its own controller, isolated and coordinated, against SUMO's
/// programs including a green wave.
struct SumoCorridorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corridor",
        abstract: "Corridor benchmark: every junction of a SUMO arterial or grid, SUMO's programs and junctiond.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Options for bench/sumo/corridor.py; --help lists them.")
    var options: [String] = []

    mutating func run() throws {
        throw ExitCode(try SumoLauncher().run(script: "corridor.py", mode: "bench", options: options))
    }
}

/// `junction-bench sumo corridor-peer`: every junction's controller in lockstep with the corridor harness.
struct SumoCorridorPeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corridor-peer",
        abstract: "Run one controller per junction file in lockstep with the corridor harness (one line per 0.1 s step)."
    )

    @Option(help: "A junction file with a [sumo] section; once per junction, in the order of the lines.")
    var config: [String] = []

    @Option(help: "Override the files' [adaptive] strategy: actuated, saturation or advance.")
    var strategy: String?

    @Flag(help: "Exchange neighbour messages ([neighbours]) over a simulated link; without it every junction is isolated.")
    var coordinated = false

    @Option(help: "Coordinated: share of neighbour datagrams the link loses, 0-1 (seeded).")
    var loss: Double = 0

    @Option(help: "Coordinated: the link's delay in seconds (rounded to 0.1 s).")
    var delay: Double = 0.1

    @Option(help: "Coordinated: seed of the link's losses.")
    var seed: UInt64 = 42

    @Option(help: "Coordinated: the traffic light id of a junction that never sends (its neighbours fall back).")
    var silent: String?

    mutating func run() throws {
        var choice: AdaptiveSettings.Strategy?
        if let strategy {
            guard let parsed = AdaptiveSettings.Strategy(rawValue: strategy) else {
                throw ValidationError("--strategy must be actuated, saturation or advance")
            }
            choice = parsed
        }
        guard (0...1).contains(loss), (0...60).contains(delay) else {
            throw ValidationError("--loss must be 0-1 and --delay 0-60 s")
        }
        let exchange = coordinated
            ? CorridorExchange.Settings(loss: loss, delayTenths: Tenths((delay * 10).rounded()), seed: seed, silent: silent)
            : nil
        do {
            var peer = try CorridorPeer(paths: config, strategy: choice, exchange: exchange)
            throw ExitCode(peer.run())
        } catch let error as CorridorPeer.StartError {
            throw ValidationError(error.description)
        }
    }
}
