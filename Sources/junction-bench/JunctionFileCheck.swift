import ArgumentParser
import Foundation
import JunctionConfig

/// The junction file that `sumo check` and `sumo control` are given, read with junctiond's own
/// loader before the harness starts: a file junctiond would refuse is refused here, with the
/// loader's report, since the harness reads only the parts it maps (groups, conflicts, [sumo]).
enum JunctionFileCheck {
    /// The value of `--config` among the harness's `options` (`--config F` or `--config=F`); nil
    /// when there is none or help is asked for, which the harness then answers itself.
    static func configPath(in options: [String]) -> String? {
        guard !options.contains("--help"), !options.contains("-h") else { return nil }
        for (index, option) in options.enumerated() {
            if option == "--config", index + 1 < options.count { return options[index + 1] }
            if option.hasPrefix("--config=") { return String(option.dropFirst("--config=".count)) }
        }
        return nil
    }

    /// Exits 2 with the loader's report on standard error when the file named in `options` is one
    /// junctiond would refuse; returns otherwise.
    static func refuseInvalid(mode: String, options: [String]) throws {
        guard let path = configPath(in: options) else { return }
        do {
            _ = try JunctionConfigLoader().load(path: path)
        } catch {
            FileHandle.standardError.write(Data("junction-bench sumo \(mode): \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
