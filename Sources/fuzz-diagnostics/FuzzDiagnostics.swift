// libFuzzer driver for the diagnostic protocol's decoders (docs/diagnostic-protocol.md). Built only
// for fuzzing:
//   swift build --scratch-path .build-fuzz-fuzz-diagnostics -c release -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING --product fuzz-diagnostics
// DIAGNOSTICS_FUZZ_TARGET picks the decoder: request (the default) or response.
// SystemTests/fuzz/run-diagnostics-fuzz.sh runs it for a bounded time.
import FuzzDriver

@main
enum FuzzDiagnostics: FuzzExecutable {
    typealias Target = DiagnosticsFuzzTarget
    static let program = "fuzz-diagnostics"
    static let variable = "DIAGNOSTICS_FUZZ_TARGET"
}
