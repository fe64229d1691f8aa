// libFuzzer driver for the junction-file loader (docs/config.md). Built only for fuzzing, as
// SystemTests/fuzz/run-config-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-config
// CONFIG_FUZZ_TARGET picks the target: `source` (the loader on TOML text) or `toml` (the parser alone).
import FuzzDriver

@main
enum FuzzConfig: FuzzExecutable {
    typealias Target = ConfigFuzzTarget
    static let program = "fuzz-config"
    static let variable = "CONFIG_FUZZ_TARGET"
}
