// libFuzzer driver for the AgentX decoders (docs/snmp.md). Built only for fuzzing, as
// tests/fuzz/run-agentx-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-agentx
// AGENTX_FUZZ_DECODER picks the decoder: message, stream, session.
// tests/fuzz/run-agentx-fuzz.sh runs each for a bounded time.
#if FUZZING
import AgentX
import Glibc

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM renames an executable's entry point to `<module>_main`; libFuzzer's driver is started from it.
@_cdecl("fuzz_agentx_main")
func fuzzAgentXMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    let name = getenv("AGENTX_FUZZ_DECODER").map { String(cString: $0) } ?? "message"
    guard let target = AgentXFuzzTarget(rawValue: name) else {
        print("fuzz-agentx: unknown AGENTX_FUZZ_DECODER \(name)")
        return 2
    }
    fuzzTarget = target
    return runFuzzerDriver(&count, &arguments) { data, size in
        fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}

nonisolated(unsafe) var fuzzTarget = AgentXFuzzTarget.message

/// libFuzzer's own `main` object refers to this symbol; defining it keeps that reference resolved.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzAgentXTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#else
@main
enum FuzzAgentXUnavailable {
    static func main() {
        print(
            "fuzz-agentx is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see tests/fuzz/run-agentx-fuzz.sh")
    }
}
#endif
