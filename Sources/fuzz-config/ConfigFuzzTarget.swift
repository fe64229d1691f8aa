import JunctionConfig

/// The junction-file loader as a fuzz target. Any result is fine (a configuration or a
/// `ConfigError`) except a crash, a hang or a read out of bounds.
enum ConfigFuzzTarget: String, CaseIterable {
    /// `JunctionConfigLoader.load(source:)` on the bytes read as UTF-8, as `load(path:)` passes a file on.
    case source

    func run(_ bytes: [UInt8]) {
        switch self {
        case .source:
            // Bytes that are not UTF-8 are refused by `load(path:)` before this point; decoding them
            // with replacement characters still lets the fuzzer reach the parser with every other byte.
            _ = try? JunctionConfigLoader().load(source: String(decoding: bytes, as: UTF8.self))
        }
    }
}
