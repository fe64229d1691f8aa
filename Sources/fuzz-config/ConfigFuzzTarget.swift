import FuzzDriver
import JunctionConfig
import TOML

/// The junction-file loader and the TOML parser under it as fuzz targets. Any result is fine (a
/// configuration, a document or an error) except a crash, a hang, a leak or a read out of bounds.
enum ConfigFuzzTarget: String, CaseIterable, FuzzTarget {
    /// `JunctionConfigLoader.load(source:)` on the bytes read as UTF-8, as `load(path:)` passes a file on.
    case source
    /// `TOMLParser.parse` alone, with its default limits (deeper than a junction file's), as
    /// junction-central reads its city file.
    case toml

    func run(_ bytes: [UInt8]) {
        switch self {
        case .source:
            // Bytes that are not UTF-8 are refused by `load(path:)` before this point; decoding them
            // with replacement characters still lets the fuzzer reach the parser with every other byte.
            _ = try? JunctionConfigLoader().load(source: String(decoding: bytes, as: UTF8.self))
        case .toml:
            _ = try? TOMLParser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }
}
