// libFuzzer driver for the check of Modbus answers (Sources/FieldModbus/ModbusRequest.swift). Built
// only for fuzzing, as SystemTests/fuzz/run-modbus-fuzz.sh does:
//   swift build -c release -debug-info-format none -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --product fuzz-modbus
// MODBUS_FUZZ_TARGET picks the framing: tcp or rtu.
import FuzzDriver

@main
enum FuzzModbus: FuzzExecutable {
    typealias Target = ModbusFuzzTarget
    static let program = "fuzz-modbus"
    static let variable = "MODBUS_FUZZ_TARGET"
}
