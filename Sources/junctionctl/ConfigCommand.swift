import ArgumentParser
import Diagnostics
import JunctionConfig
import SignalCore
import SystemInterface

/// `junctionctl config check FILE` and `junctionctl config show`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check a junction file, or show the running configuration.",
        subcommands: [ConfigCheckCommand.self, ConfigShowCommand.self])
}

/// Validates a junction file here, with the daemon's own loader; no daemon needed.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a junction file locally (the daemon's loader; no daemon needed).")

    @Argument(help: "The junction file (TOML).", completion: .file(extensions: ["toml"]))
    var file: String

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() throws {
        // Opened by the bytes it was given in, and named with the bytes that are not UTF-8 escaped.
        let path = CommandLinePath.of(file)
        let name = JunctionFile.displayName(path)
        do {
            let loaded = try JunctionConfigLoader().load(path: path)
            if json {
                print(JSONValue.object([
                    JSONMember("file", .string(name)), JSONMember("valid", .bool(true)),
                    JSONMember("summary", .string(loaded.summary.description)),
                ]).serialized)
            } else {
                print("\(DisplayText.escaped(name, limit: DisplayText.messageLimit)): valid")
                print(DisplayText.escaped(loaded.summary.description, limit: DisplayText.messageLimit))
            }
        } catch {
            if json {
                let problems = error.problems.map { problem in
                    JSONValue.object([
                        JSONMember("field", .string(problem.field)),
                        JSONMember("line", problem.line.map { .integer($0) } ?? .null),
                        JSONMember("message", .string(problem.message)),
                    ])
                }
                print(JSONValue.object([
                    JSONMember("file", .string(name)), JSONMember("valid", .bool(false)), JSONMember("problems", .array(problems)),
                ]).serialized)
            } else {
                // One problem per line (as many as the daemon's log shows), each escaped: a problem
                // may quote a hostile name.
                let lines = error.description.split(separator: "\n").map {
                    DisplayText.escaped(String($0), limit: DisplayText.messageLimit)
                }
                Client.writeError(lines.joined(separator: "\n") + "\n")
            }
            throw ExitCode(2)
        }
    }
}

/// Shows the junction the daemon runs now and its settings.
struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The junction and settings the daemon runs now.")

    @OptionGroup var client: ClientOptions

    func run() throws {
        let reply = try Client.call(.config, options: client)
        if client.json { return Client.printJSON(reply) }
        let config = try Client.decode(ConfigReport.self, reply, options: client)
        print("\(config.summary)")
        print("source: \(config.source)")
        print("startup: flash \(TextFormat.seconds(config.startupFlashTenths)), all-red \(TextFormat.seconds(config.startupAllRedTenths))")
        print("")
        print(Self.groupTables(config.groups))
        print("")
        print("stages (sequence \(config.sequence.joined(separator: " → "))):")
        print(TextFormat.table(config.stages.map { ["\($0.number)", $0.name, $0.groups.joined(separator: " + ")] }))
        print("")
        print("detectors:")
        print(TextFormat.table(config.detectors.map {
            [
                "\($0.number)", $0.name, $0.groups.joined(separator: ","), FileWords.function($0.function),
                FileWords.placement($0.placement), "failed: \(FileWords.failedAction($0.failedAction))",
            ]
        }))
        if !config.plans.isEmpty {
            print("")
            print("plans:")
            print(TextFormat.table(config.plans.map {
                [$0.name, "cycle \(TextFormat.seconds($0.cycleTenths))", "offset \(TextFormat.seconds($0.offsetTenths))",
                 "splits " + $0.splitsTenths.map(TextFormat.seconds).joined(separator: ", ")]
            }))
        }
        print("")
        print("conflicts: \(config.conflicts.count) pairs; intergreens: \(config.intergreens.count)")
        print("settings:")
        print(TextFormat.table(config.settings.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }))
    }

    /// The groups' timings under the junction file's key names: vehicle and turn-arrow groups
    /// (min_green, max_green, passage, amber, red_amber), then pedestrian groups (walk, clearance),
    /// whose walk and pedestrian clearance the report carries in the min-green and clearance fields.
    static func groupTables(_ groups: [ConfigReport.Group]) -> String {
        let pedestrian = JunctionFileWords.word(SignalGroupKind.pedestrian)
        var vehicles = [["#", "group", "kind", "min_green", "max_green", "passage", "amber", "red_amber", "recall", "memory", "flash"]]
        var crossings = [["#", "group", "kind", "walk", "clearance", "recall", "memory", "flash"]]
        for group in groups {
            let kind = FileWords.groupKind(group.kind)
            let options = [FileWords.recall(group.recall), FileWords.memory(group.memory), FileWords.flash(group.flash)]
            if kind == pedestrian {
                crossings.append(
                    ["\(group.number)", group.name, kind, TextFormat.seconds(group.minGreenTenths),
                     TextFormat.seconds(group.clearanceTenths)] + options)
            } else {
                vehicles.append(
                    ["\(group.number)", group.name, kind, TextFormat.seconds(group.minGreenTenths),
                     TextFormat.seconds(group.maxGreenTenths), TextFormat.seconds(group.passageTenths),
                     TextFormat.seconds(group.clearanceTenths), TextFormat.seconds(group.redAmberTenths)] + options)
            }
        }
        var text = ["groups:", TextFormat.table(vehicles)]
        if crossings.count > 1 { text += ["pedestrian groups:", TextFormat.table(crossings)] }
        return text.joined(separator: "\n")
    }
}
