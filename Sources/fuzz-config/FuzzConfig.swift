// libFuzzer driver for the junction-file loader (docs/config.md). Built only for fuzzing, as
// SystemTests/fuzz/run-config-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-config
// CONFIG_FUZZ_TARGET picks the target: `source` (the loader on TOML text) or `toml` (the parser alone).
#if FUZZING
import FuzzDriver

extension ConfigFuzzTarget: FuzzTarget {}

@_cdecl("fuzz_config_main")
func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(ConfigFuzzTarget.self, program: "fuzz-config", variable: "CONFIG_FUZZ_TARGET", argc: argc, argv: argv)
}
#else
@main
enum FuzzConfigUnavailable {
    static func main() {
        print("fuzz-config is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see SystemTests/fuzz/run-config-fuzz.sh")
    }
}
#endif
