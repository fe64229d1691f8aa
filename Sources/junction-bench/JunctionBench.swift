import ArgumentParser

/// The benchmark and evaluation commands; `core` measures the controller itself.
struct JunctionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junction-bench",
        abstract: "Benchmarks and evaluations of junctiond.",
        discussion: "Build in release for meaningful figures: swift run -c release junction-bench core",
        subcommands: [CoreBenchmark.self, SumoCommand.self]
    )
}
