// libFuzzer driver for the check of Modbus answers (Sources/FieldModbus/ModbusRequest.swift). Built
// only for fuzzing, as SystemTests/fuzz/run-modbus-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-modbus
// MODBUS_FUZZ_TARGET picks the framing: tcp or rtu.
#if FUZZING
import FuzzDriver

extension ModbusFuzzTarget: FuzzTarget {}

@_cdecl("fuzz_modbus_main")
func fuzzModbusMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(ModbusFuzzTarget.self, program: "fuzz-modbus", variable: "MODBUS_FUZZ_TARGET", argc: argc, argv: argv)
}
#else
@main
enum FuzzModbusUnavailable {
    static func main() {
        print("fuzz-modbus is built with -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING; see SystemTests/fuzz/run-modbus-fuzz.sh")
    }
}
#endif
