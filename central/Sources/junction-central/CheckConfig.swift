import ArgumentParser
import CentralCore

/// Loads a city file and prints a summary, or every problem found.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Check a city TOML file.")

    @Argument(help: "The city TOML file.")
    var path: String

    func run() throws {
        do {
            let config = try CityConfigLoader().load(path: path)
            let named = config.junctions.filter { $0.layout != nil }.count
            print(
                "\(path): \(config.junctions.count) junctions (\(named) with a junction file), UDP \(config.udpAddress),"
                    + " dashboard \(config.httpHost):\(config.httpPort), store \(config.databasePath)")
        } catch {
            print(error.description)
            throw ExitCode(2)
        }
    }
}
