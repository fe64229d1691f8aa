// libFuzzer driver for the Wire decoders (docs/protocol.md). Built only for fuzzing:
//   swift build --scratch-path .build-fuzz-fuzz-wire -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING --product fuzz-wire
// WIRE_FUZZ_DECODER picks the decoder: frame, status, events, counts, poll, ack, neighbourOutflow, receiver.
// SystemTests/fuzz/run-wire-fuzz.sh runs each for a bounded time.
import FuzzDriver

@main
enum FuzzWire: FuzzExecutable {
    typealias Target = WireFuzzTarget
    static let program = "fuzz-wire"
    static let variable = "WIRE_FUZZ_DECODER"
}
