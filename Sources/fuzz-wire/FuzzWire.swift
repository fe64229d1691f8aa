// libFuzzer driver for the Wire decoders (docs/protocol.md). Built only for fuzzing:
//   swift build --scratch-path .build-fuzz-fuzz-wire -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING --product fuzz-wire
// WIRE_FUZZ_DECODER picks the decoder: frame, status, events, counts, poll, ack, receiver.
// SystemTests/fuzz/run-wire-fuzz.sh runs each for a bounded time.
#if FUZZING
import FuzzDriver

extension WireFuzzTarget: FuzzTarget {}

@_cdecl("fuzz_wire_main")
func fuzzWireMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(WireFuzzTarget.self, program: "fuzz-wire", variable: "WIRE_FUZZ_DECODER", argc: argc, argv: argv)
}
#else
@main
enum FuzzWireUnavailable {
    static func main() {
        print("fuzz-wire is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see SystemTests/fuzz/run-wire-fuzz.sh")
    }
}
#endif
