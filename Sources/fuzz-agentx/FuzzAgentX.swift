// libFuzzer driver for the AgentX decoders (docs/snmp.md). Built only for fuzzing, as
// SystemTests/fuzz/run-agentx-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-agentx
// AGENTX_FUZZ_DECODER picks the decoder: message, stream, session.
// SystemTests/fuzz/run-agentx-fuzz.sh runs each for a bounded time.
#if FUZZING
import FuzzDriver

extension AgentXFuzzTarget: FuzzTarget {}

@_cdecl("fuzz_agentx_main")
func fuzzAgentXMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(AgentXFuzzTarget.self, program: "fuzz-agentx", variable: "AGENTX_FUZZ_DECODER", argc: argc, argv: argv)
}
#else
@main
enum FuzzAgentXUnavailable {
    static func main() {
        print("fuzz-agentx is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see SystemTests/fuzz/run-agentx-fuzz.sh")
    }
}
#endif
