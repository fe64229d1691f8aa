import ArgumentParser

let arguments = CommandLineArguments.hoistingClientOptions(Array(CommandLine.arguments.dropFirst()))
if let message = CommandLineArguments.unknownCommand(arguments, root: JunctionCtl.self) {
    JunctionCtl.exit(withError: ValidationError(message))
}
JunctionCtl.main(arguments)
