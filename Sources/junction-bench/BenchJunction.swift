import JunctionConfig
import SignalCore

/// The junction a bench command runs: the file given, or the built-in copy of the Cirebon example when the file
/// cannot be read (so the commands run from any directory).
enum BenchJunction {
    static let defaultPath = "hardware/junctions/cirebon-4arm.toml"

    /// The junction and where it came from (the path, or "built-in copy").
    static func load(_ path: String) throws -> (junction: Junction, source: String) {
        let loader = JunctionConfigLoader()
        do {
            return (try loader.load(path: path).junction, path)
        } catch {
            let reason = error.problems.first?.message ?? "\(error)"
            print("note: \(path) not loaded (\(reason)); using the built-in copy")
            return (try loader.load(source: BuiltInJunctions.cirebon4Arm, name: "built-in").junction, "built-in copy")
        }
    }
}
