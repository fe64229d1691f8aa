// libFuzzer driver for the diagnostic protocol's decoders (docs/diagnostic-protocol.md). Built only
// for fuzzing:
//   swift build --scratch-path .build-fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING --product fuzz-diagnostics
// DIAGNOSTICS_FUZZ_TARGET picks the decoder: request (the default) or response.
// tests/fuzz/run-diagnostics-fuzz.sh runs it for a bounded time.
#if FUZZING
import Diagnostics
import Glibc

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM renames an executable's entry point to `<module>_main`; libFuzzer's driver is started from it.
@_cdecl("fuzz_diagnostics_main")
func fuzzDiagnosticsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    let name = getenv("DIAGNOSTICS_FUZZ_TARGET").map { String(cString: $0) } ?? "request"
    guard let target = DiagnosticsFuzzTarget(rawValue: name) else {
        var message = "fuzz-diagnostics: unknown DIAGNOSTICS_FUZZ_TARGET \(name) (request or response)\n"
        message.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
        return 2
    }
    fuzzTarget = target
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        fuzzTarget.run(bytes)
        return 0
    }
}

nonisolated(unsafe) var fuzzTarget = DiagnosticsFuzzTarget.request
#else
@main
enum FuzzDiagnosticsUnavailable {
    static func main() {
        print("fuzz-diagnostics is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see tests/fuzz/run-diagnostics-fuzz.sh")
    }
}
#endif
