import CModbus
import Glibc

/// The one wrapper of libmodbus 3.1.6: a TCP or RTU context, its connection, and the four
/// requests the backends use, each with its own response timeout.
///
/// Guarantees:
/// - Every failure is a typed `ModbusError`, built from errno or libmodbus's `EMB*` codes.
/// - After any failed request the connection is closed at once. A kept socket after a timeout was
///   seen to get out of step, with every later answer refused as EMBBADDATA; a fresh connection
///   (and, for a serial line, a flush of late bytes) is the only reliable recovery.
/// - Error recovery stays `MODBUS_ERROR_RECOVERY_NONE`: libmodbus's link recovery sleeps and
///   reconnects inside the call for seconds, which would stall the polling schedule.
/// - Byte timeouts are off, so one request never takes longer than its response timeout (plus the
///   transmit time of the request itself).
///
/// Not thread-safe: a connection belongs to the one polling thread of its link.
final class ModbusConnection {
    /// Where the connection goes.
    let transport: ModbusTransport
    private let context: OpaquePointer
    /// Whether a connection is open.
    private(set) var isConnected = false

    /// A context for `transport`; nothing is opened until `connect`.
    init(transport: ModbusTransport) throws(ModbusError) {
        self.transport = transport
        let created: OpaquePointer?
        switch transport {
        case .tcp(let host, let port):
            created = modbus_new_tcp(host, CInt(port))
        case .rtu(let serial):
            let parity = CChar(bitPattern: serial.parity.rawValue.utf8.first!)
            created = modbus_new_rtu(
                serial.device, CInt(serial.baud), parity, CInt(serial.dataBits), CInt(serial.stopBits))
        }
        guard let created else {
            throw ModbusError(operation: "set up \(transport)", code: ModbusSystem.lastErrno)
        }
        context = created
        _ = modbus_set_error_recovery(context, MODBUS_ERROR_RECOVERY_NONE)
        _ = modbus_set_byte_timeout(context, 0, 0)
    }

    deinit {
        close()
        modbus_free(context)
    }

    /// Opens the TCP connection or the serial device, first closing any open one. A TCP connect
    /// waits at most `timeoutMilliseconds`.
    func connect(timeoutMilliseconds: Int) throws(ModbusError) {
        close()
        setTimeout(milliseconds: timeoutMilliseconds)
        guard modbus_connect(context) == 0 else {
            let code = ModbusSystem.lastErrno
            if code == EINPROGRESS {
                // libmodbus's connect gave up waiting and left the errno of the non-blocking connect.
                throw ModbusError(
                    operation: "connect", reason: .timedOut, message: "no answer within \(timeoutMilliseconds) ms")
            }
            throw Self.error("connect", code: code)
        }
        isConnected = true
        // A serial line may still hold the tail of an answer that came too late: drop it.
        _ = modbus_flush(context)
    }

    /// Closes the connection if one is open.
    func close() {
        guard isConnected else { return }
        modbus_close(context)
        isConnected = false
    }

    /// Reads discrete inputs (function 02) of `run` into `values[run.offset...]`, one byte per bit.
    func readDiscreteInputs(
        unit: Int, run: ModbusAddressRun, into values: inout [UInt8], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        try request("read discrete inputs", unit: unit, run: run, timeoutMilliseconds: timeoutMilliseconds) {
            values.withUnsafeMutableBufferPointer { buffer in
                modbus_read_input_bits(context, CInt(run.start), CInt(run.count), buffer.baseAddress! + run.offset)
            }
        }
    }

    /// Reads coils (function 01) of `run` into `values[run.offset...]`, one byte per bit.
    func readCoils(
        unit: Int, run: ModbusAddressRun, into values: inout [UInt8], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        try request("read coils", unit: unit, run: run, timeoutMilliseconds: timeoutMilliseconds) {
            values.withUnsafeMutableBufferPointer { buffer in
                modbus_read_bits(context, CInt(run.start), CInt(run.count), buffer.baseAddress! + run.offset)
            }
        }
    }

    /// Reads input registers (function 04) of `run` into `values[run.offset...]`.
    func readInputRegisters(
        unit: Int, run: ModbusAddressRun, into values: inout [UInt16], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        try request("read input registers", unit: unit, run: run, timeoutMilliseconds: timeoutMilliseconds) {
            values.withUnsafeMutableBufferPointer { buffer in
                modbus_read_input_registers(
                    context, CInt(run.start), CInt(run.count), buffer.baseAddress! + run.offset)
            }
        }
    }

    /// Writes the coils of `run` from `values[run.offset...]` (0 off, else on): function 05 for a
    /// single coil, which every device supports, function 15 for several.
    func writeCoils(
        unit: Int, run: ModbusAddressRun, from values: [UInt8], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        try request("write coils", unit: unit, run: run, timeoutMilliseconds: timeoutMilliseconds) {
            if run.count == 1 {
                return modbus_write_bit(context, CInt(run.start), CInt(values[run.offset] == 0 ? 0 : 1)) == 1 ? 1 : -1
            }
            return values.withUnsafeBufferPointer { buffer in
                modbus_write_bits(context, CInt(run.start), CInt(run.count), buffer.baseAddress! + run.offset)
            }
        }
    }

    // MARK: - Internals

    private func setTimeout(milliseconds: Int) {
        let microseconds = max(milliseconds, 1) * 1000
        _ = modbus_set_response_timeout(context, UInt32(microseconds / 1_000_000), UInt32(microseconds % 1_000_000))
    }

    /// Runs one request on the open connection; `call` returns libmodbus's count or -1. Any
    /// failure, including a short answer, closes the connection.
    private func request(
        _ name: String, unit: Int, run: ModbusAddressRun, timeoutMilliseconds: Int, _ call: () -> CInt
    ) throws(ModbusError) {
        precondition(isConnected, "a Modbus request needs an open connection")
        precondition(modbus_set_slave(context, CInt(unit)) == 0, "unit id \(unit) is outside 0–247")
        setTimeout(milliseconds: timeoutMilliseconds)
        let result = call()
        if result == CInt(run.count) {
            return
        }
        let code = ModbusSystem.lastErrno
        close()
        let operation = "\(name) \(run.rangeText)"
        if result >= 0 {
            throw ModbusError(
                operation: operation, reason: .badResponse,
                message: "answered \(result) values for a request of \(run.count)")
        }
        throw Self.error(operation, code: code)
    }

    /// Classifies errno or a libmodbus `EMB*` code (`MODBUS_ENOBASE` + 1–17).
    private static func error(_ operation: String, code: CInt) -> ModbusError {
        let message = String(cString: modbus_strerror(code))
        let offset = Int(code) - Int(MODBUS_ENOBASE)
        switch offset {
        case 1...11:
            // A Modbus exception answered by the device (EMBXILFUN ... EMBXGTAR).
            return ModbusError(operation: operation, reason: .exception(code: offset), message: message)
        case 16:
            // EMBMDATA: more values than one request may carry; the address runs never ask for that.
            preconditionFailure("\(operation): \(message)")
        case 12...17:
            // EMBBADCRC, EMBBADDATA, EMBBADEXC, EMBUNKEXC, EMBBADSLAVE.
            return ModbusError(operation: operation, reason: .badResponse, message: message)
        default:
            return ModbusError(operation: operation, reason: ModbusError.reason(errno: code), message: message)
        }
    }
}
