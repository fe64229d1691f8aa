import Foundation

/// Starts the Python harness of the SUMO benchmark in a venv that has SUMO, passing it the path of
/// this executable so it can start `sumo peer`.
struct SumoLauncher {
    /// Why the harness could not be started.
    struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `bench/sumo/<script> <mode> <options>`; returns its exit status.
    func run(script: String = "bench.py", mode: String, options: [String]) throws -> Int32 {
        let root = try repositoryRoot()
        let python = try prepareVenv(root: root)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root + "/bench/sumo/" + script, mode, "--peer", executablePath()] + options
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The checkout this executable belongs to: the first directory, from the current one upward,
    /// that holds bench/sumo/bench.py.
    private func repositoryRoot() throws -> String {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            if FileManager.default.fileExists(atPath: directory.path + "/bench/sumo/bench.py") { return directory.path }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path {
                throw LaunchError(description: "bench/sumo/bench.py not found; run from the junctiond checkout")
            }
            directory = parent
        }
    }

    /// The venv's python, after bench/sumo/ensure-venv.sh has installed SUMO into it if needed.
    private func prepareVenv(root: String) throws -> String {
        if let python = ProcessInfo.processInfo.environment["JUNCTIOND_SUMO_PYTHON"] { return python }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root + "/bench/sumo/ensure-venv.sh"]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LaunchError(description: "bench/sumo/ensure-venv.sh failed; see its output above")
        }
        return root + "/.venv/bin/python"
    }

    private func executablePath() -> String {
        let argument = CommandLine.arguments[0]
        if argument.hasPrefix("/") { return argument }
        if argument.contains("/") { return FileManager.default.currentDirectoryPath + "/" + argument }
        return Bundle.main.executablePath ?? argument
    }
}
