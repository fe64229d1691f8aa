// libFuzzer driver for the diagnostic protocol's decoders (docs/diagnostic-protocol.md). Built only
// for fuzzing:
//   swift build --scratch-path .build-fuzz-fuzz-diagnostics -c release -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING --product fuzz-diagnostics
// DIAGNOSTICS_FUZZ_TARGET picks the decoder: request (the default) or response.
// SystemTests/fuzz/run-diagnostics-fuzz.sh runs it for a bounded time.
#if FUZZING
import FuzzDriver

extension DiagnosticsFuzzTarget: FuzzTarget {}

@_cdecl("fuzz_diagnostics_main")
func fuzzDiagnosticsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(DiagnosticsFuzzTarget.self, program: "fuzz-diagnostics", variable: "DIAGNOSTICS_FUZZ_TARGET", argc: argc, argv: argv)
}
#else
@main
enum FuzzDiagnosticsUnavailable {
    static func main() {
        print("fuzz-diagnostics is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see SystemTests/fuzz/run-diagnostics-fuzz.sh")
    }
}
#endif
