import ArgumentParser
import Glibc
import SystemInterface

let arguments = CommandLineArguments.hoistingClientOptions(Array(CommandLine.arguments.dropFirst()), root: JunctionCtl.self)
if let message = CommandLineArguments.unknownCommand(arguments, root: JunctionCtl.self) {
    JunctionCtl.exit(withError: ValidationError(message))
}
do {
    var command = try JunctionCtl.parseAsRoot(arguments)
    try command.run()
} catch {
    let ending = CommandLineArguments.ending(for: error)
    if ending.exitCode == 0 {
        if !ending.text.isEmpty { print(ending.text) }
    } else if !ending.text.isEmpty {
        Syscall.writeToStandardError(ending.text + "\n")
    }
    exit(ending.exitCode)
}
