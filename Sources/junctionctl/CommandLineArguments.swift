import ArgumentParser
import Diagnostics

/// What junctionctl does to its arguments before ArgumentParser sees them: the client options may come before
/// the command (`junctionctl --json status`, as the README writes it), and a mistyped command name gets a
/// suggestion instead of a bare "unexpected argument".
enum CommandLineArguments {
    /// The options of `ClientOptions` that may come before the command, and whether each takes a value.
    static let clientOptions: [String: Bool] = ["--json": false, "--socket": true, "--runtime-directory": true, "--timeout": true]

    /// `arguments` with the client options given before or among the command's words (`--json config
    /// check`, `config --json check`) moved behind the command, where the command's `ClientOptions`
    /// reads them; anything else is left as given. Without a whole command (`--json config`) they
    /// are left out, so the group's own help is what the technician sees, not "unknown option".
    static func hoistingClientOptions(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var options: [String] = []
        var path: [String] = []
        var command = root
        var index = arguments.startIndex
        while index < arguments.endIndex, !command.configuration.subcommands.isEmpty || path.isEmpty {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if let takesValue = clientOptions[name] {
                options.append(argument)
                index += 1
                if takesValue && !argument.contains("=") && index < arguments.endIndex {
                    options.append(arguments[index])
                    index += 1
                }
            } else if let next = command.configuration.subcommands.first(where: { self.name(of: $0) == argument }) {
                path.append(argument)
                command = next
                index += 1
            } else {
                break
            }
        }
        guard !options.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        // A group without its subcommand; an unknown word stays first, for `unknownCommand` to name.
        if !path.isEmpty && !command.configuration.subcommands.isEmpty { return path + rest }
        // Behind a `--` everything is an argument; the options go before it.
        rest.insert(contentsOf: options, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return path + rest
    }

    /// The message for a command name that none of `root`'s command tree knows, with the nearest known names;
    /// nil when the command path is fine (or starts with an option, which ArgumentParser judges itself). The
    /// unknown name is quoted escaped (`DisplayText`), so the message holds no control character.
    static func unknownCommand(_ arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [name(of: root)]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !argument.hasPrefix("-") else { return nil }
            if let next = subcommands.first(where: { name(of: $0) == argument }) {
                command = next
                path.append(argument)
                continue
            }
            if argument == "help" && ObjectIdentifier(command) == ObjectIdentifier(root) { return nil }
            let names = subcommands.map(name(of:))
            let near = CommandSuggestion.nearest(to: argument, among: names)
            let hint = near.isEmpty
                ? "commands: \(names.joined(separator: ", "))"
                : "did you mean " + near.map { "`\($0)`" }.joined(separator: " or ") + "?"
            // The argument is whatever was typed or pasted: escaped like every other message, so an ESC
            // or a newline in it cannot act on the terminal or forge a line.
            let shown = DisplayText.escaped(argument)
            return "unknown command `\(shown)` for `\(path.joined(separator: " "))`; \(hint)"
        }
        return nil
    }

    /// What junctionctl prints and exits with when parsing or running ends in `error`: help and
    /// version (exit 0) are the tool's own text, for standard output; anything else is for standard
    /// error, each line escaped (`DisplayText`), because ArgumentParser quotes an unknown option or a
    /// bad value as it was typed, and an ESC or CR in it must not act on the technician's terminal.
    static func ending(for error: any Error) -> (text: String, exitCode: Int32) {
        let code = JunctionCtl.exitCode(for: error).rawValue
        let message = JunctionCtl.fullMessage(for: error)
        guard code != 0 else { return (message, code) }
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map {
            DisplayText.escaped(String($0), limit: DisplayText.messageLimit)
        }
        return (lines.joined(separator: "\n"), code)
    }

    private static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? "\(command)".lowercased()
    }
}
