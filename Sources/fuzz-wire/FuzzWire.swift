// libFuzzer driver for the Wire decoders (docs/protocol.md). Built only for fuzzing:
//   swift build --scratch-path .build-fuzz -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING --product fuzz-wire
// WIRE_FUZZ_DECODER picks the decoder: frame, status, events, counts, poll, ack, receiver.
// tests/fuzz/run-wire-fuzz.sh runs each for a bounded time.
#if FUZZING
import Glibc
import Wire

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM renames an executable's entry point to `<module>_main`; libFuzzer's driver is started from it.
@_cdecl("fuzz_wire_main")
func fuzzWireMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    let name = getenv("WIRE_FUZZ_DECODER").map { String(cString: $0) } ?? "frame"
    guard let target = WireFuzzTarget(rawValue: name) else {
        print("fuzz-wire: unknown WIRE_FUZZ_DECODER \(name)")
        return 2
    }
    fuzzTarget = target
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        fuzzTarget.run(bytes)
        return 0
    }
}

nonisolated(unsafe) var fuzzTarget = WireFuzzTarget.frame

/// libFuzzer's own `main` object refers to this symbol; defining it keeps that reference resolved
/// however the runtime archive is linked. The driver above is what runs.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzWireTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#else
@main
enum FuzzWireUnavailable {
    static func main() {
        print("fuzz-wire is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see tests/fuzz/run-wire-fuzz.sh")
    }
}
#endif
