// libFuzzer driver for the AgentX decoders (docs/snmp.md). Built only for fuzzing, as
// SystemTests/fuzz/run-agentx-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-agentx
// AGENTX_FUZZ_DECODER picks the decoder: message, stream, session.
// SystemTests/fuzz/run-agentx-fuzz.sh runs each for a bounded time.
import FuzzDriver

@main
enum FuzzAgentX: FuzzExecutable {
    typealias Target = AgentXFuzzTarget
    static let program = "fuzz-agentx"
    static let variable = "AGENTX_FUZZ_DECODER"
}
