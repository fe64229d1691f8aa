import ArgumentParser
import Foundation
import JunctionConfig
import TOML

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
            // The harness refuses a [nema] file for what it is; the loader's report would first ask
            // for [sumo] links and loops of every group and detector the file compiles to.
            if isRingBarrierFile(path) { return }
            FileHandle.standardError.write(Data("junction-bench sumo \(mode): \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Whether the file at `path` is TOML with a `[nema]` section (read as the loader reads it: a
    /// regular file of bounded size, parsed within the loader's limits).
    static func isRingBarrierFile(_ path: String) -> Bool {
        guard let bytes = try? JunctionFile.contents(of: path, limit: JunctionConfigLoader.largestFileBytes),
            let text = String(validating: bytes, as: UTF8.self),
            let root = try? TOMLParser.parse(text, limits: JunctionConfigLoader.limits)
        else { return false }
        return root["nema"] != nil
    }
}
