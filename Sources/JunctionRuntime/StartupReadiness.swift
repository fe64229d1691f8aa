import JunctionConfig
import UpstreamLink

/// What a junction file asks of junctiond that the file's own checks cannot show: that its key
/// files can be read here and hold keys, and that its field backends are ones junctiond runs.
///
/// A reload is refused for any of these, so a file that would stop the next restart is never
/// applied. `--check-config` refuses a file for what no machine could run, and warns of what
/// fails only on this one (it may check a file before it is installed beside its keys).
public enum StartupReadiness {
    /// One reason junctiond could not start with a file.
    public struct Problem: Sendable, CustomStringConvertible {
        public var description: String
        /// True when it depends on this machine (a key file missing or unreadable here), false when
        /// junctiond could start with the file nowhere.
        public var dependsOnMachine: Bool
    }

    /// Why junctiond could not start with `configuration` on this machine; empty when it could.
    public static func problems(of configuration: JunctionConfiguration) -> [Problem] {
        var problems: [Problem] = []
        var keys: [(owner: String, source: UpstreamSettings.KeySource)] = []
        if let upstream = configuration.upstream { keys.append(("[upstream]", upstream.key)) }
        for neighbour in configuration.neighbours?.neighbours ?? [] {
            keys.append(("neighbour \(neighbour.junctionId)", neighbour.key))
        }
        for (owner, source) in keys {
            do {
                _ = try UpstreamRuntime.loadKey(source)
            } catch {
                problems.append(Problem(description: "\(owner): \(error)", dependsOnMachine: true))
            }
        }
        let field = configuration.field
        if field.detectors == .sumo || field.outputs == .sumo {
            problems.append(
                Problem(description: "[field]: the sumo backend runs in junction-bench, not in junctiond", dependsOnMachine: false))
        }
        return problems
    }
}
