@_spi(Fuzzing) import FieldModbus
import FuzzDriver

/// The check of a Modbus answer (`ModbusRequest.payload(of:framing:)`) as a fuzz target, one per
/// framing: a device or gateway on the field bus can send anything. The first bytes choose the
/// request (function, unit, start, count) and the TCP transaction id it was sent with, the rest is
/// the answer. Any result is fine (a payload or a `ModbusError`) except a crash, a hang or a read
/// out of bounds.
enum ModbusFuzzTarget: String, CaseIterable, FuzzTarget {
    /// A Modbus TCP answer: MBAP header, PDU.
    case tcp
    /// A Modbus RTU answer: address, PDU, CRC (as libmodbus hands it over, CRC already checked).
    case rtu

    func run(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return }
        let function = ModbusRequest.Function.allCases[Int(bytes[0]) % ModbusRequest.Function.allCases.count]
        let unit = Int(bytes[1]) % 248
        let start = Int(bytes[2]) << 8 | Int(bytes[3])
        let count = 1 + (Int(bytes[4]) << 8 | Int(bytes[5])) % 2000
        let request: ModbusRequest
        switch function {
        case .readCoils, .readDiscreteInputs:
            request = ModbusRequest(unit: unit, read: function, start: start, count: count)
        case .readInputRegisters:
            request = ModbusRequest(unit: unit, read: function, start: start, count: min(count, 125))
        case .writeSingleCoil:
            request = ModbusRequest(unit: unit, writing: [bytes[4] & 1][...], start: start)
        case .writeMultipleCoils:
            let coils = (0..<min(count, 1968)).map { UInt8($0 & 1) }
            request = ModbusRequest(unit: unit, writing: coils[...], start: start)
        }
        let transaction = UInt16(bytes[6]) << 8 | UInt16(bytes[7])
        _ = try? request.payload(of: bytes[8...], framing: self == .tcp ? .tcp(transaction: transaction) : .rtu)
    }
}
