import ArgumentParser
import BuildInfo

/// The benchmark and evaluation commands; `core` measures the controller itself.
struct JunctionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junction-bench",
        abstract: "Benchmarks and evaluations of junctiond.",
        discussion: """
            Build in release for meaningful figures: swift run -c release junction-bench core

            Exit status: 0 done, 64 usage error (unknown command or option, bad argument); the sumo \
            commands pass on the exit status of their SUMO script.
            """,
        version: BuildInfo.versionLine("junction-bench"),
        subcommands: [CoreBenchmark.self, SumoCommand.self, EventsCommand.self]
    )
}
