import Foundation
import Glibc
import SystemInterface

/// Starts the Python harness of the SUMO benchmark in a venv that has SUMO, passing it the path of
/// this executable so it can start `sumo peer`.
///
/// It works from any directory: bench/sumo is found next to the executable (the checkout it was
/// built in), else in the current directory or above it; the harness runs in the caller's
/// directory, so relative paths in the options mean what they say.
struct SumoLauncher {
    /// Why the harness could not be started.
    struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    /// The signals passed on to the harness.
    private static let endingSignals = [SIGTERM, SIGINT, SIGHUP]

    /// Runs `bench/sumo/<script> <mode> --peer <this executable> <options>`; returns its exit status
    /// (128 + the signal's number if a signal ended it).
    ///
    /// Call it before this process starts any thread: the ending signals are blocked here, first, so
    /// that every thread inherits the block and none can take one of them before it is passed on.
    func run(script: String = "bench.py", mode: String, options: [String]) throws -> Int32 {
        // The harness leads a process group of its own (bench/sumo/process_group.py), out of reach of
        // a terminal's Ctrl-C and of a signal to this process alone, so each ending signal is passed on
        // and the harness ends its workers, SUMO and the peers with it. Blocked, a signal waits until
        // it is taken below, even one that comes while the venv is prepared: none is lost. (A dispatch
        // signal source lost some: its handler and SIG_IGN were installed in a race.) The children
        // start with nothing blocked (`Syscall.spawn`). If this process dies, even by SIGKILL, the
        // harness ends its group on its own (its parent-death signal).
        try Syscall.blockSignals(Self.endingSignals)
        let executable = executablePath()
        let root = try repositoryRoot(executable: executable)
        let python = try prepareVenv(root: root)
        let harness = try Syscall.spawn(
            [python, root + "/bench/sumo/" + script, mode, "--peer", executable] + options,
            standardOutput: STDOUT_FILENO, standardError: STDERR_FILENO)
        while true {
            // The wait is bounded so that the harness's end is seen without a SIGCHLD handler.
            if let signal = try Syscall.waitForSignal(Self.endingSignals, milliseconds: 100) {
                Syscall.kill(harness, signal)
            }
            if let status = try Syscall.endedChildStatus(harness) {
                return Syscall.shellStatus(ofWaitStatus: status)
            }
        }
    }

    /// The checkout holding bench/sumo/bench.py: the first ancestor of this executable's real path
    /// that has it (`.build/release/junction-bench` lies inside its checkout), else the first of the
    /// current directory and its ancestors (a copied executable run inside a checkout).
    private func repositoryRoot(executable: String) throws -> String {
        let starts = [URL(fileURLWithPath: executable).deletingLastPathComponent(),
                      URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var directory = start
            while true {
                let script = directory.path + "/bench/sumo/bench.py"
                if FileManager.default.fileExists(atPath: script) { return directory.path }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw LaunchError(description: "bench/sumo/bench.py not found above \(starts[0].path) or the current "
            + "directory; run the junction-bench built in a junctiond checkout")
    }

    /// The venv's python: $JUNCTIOND_SUMO_PYTHON if set (a python with eclipse-sumo, traci, sumolib
    /// and libsumo), else the checkout's .venv after bench/sumo/ensure-venv.sh has installed
    /// bench/sumo/requirements.txt into it if needed.
    private func prepareVenv(root: String) throws -> String {
        if let python = ProcessInfo.processInfo.environment["JUNCTIOND_SUMO_PYTHON"] {
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw LaunchError(description: "JUNCTIOND_SUMO_PYTHON=\(python) is not an executable python")
            }
            return python
        }
        let setup = try Syscall.spawn(["/bin/bash", root + "/bench/sumo/ensure-venv.sh"], standardOutput: STDOUT_FILENO,
                                      standardError: STDERR_FILENO)
        guard try Syscall.waitForChild(setup) == 0 else {
            throw LaunchError(description: "bench/sumo/ensure-venv.sh failed; see its output above")
        }
        return root + "/.venv/bin/python"
    }

    /// This executable's real path: Linux's /proc/self/exe resolves whatever link or PATH entry started it.
    private func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
