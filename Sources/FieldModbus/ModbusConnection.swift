import CModbus
import Glibc
import SystemInterface

/// The one wrapper of libmodbus 3.1.6: a TCP or RTU context, its connection, and the four
/// requests the backends use, each with its own response timeout.
///
/// Guarantees:
/// - Every failure is a typed `ModbusError`, built from errno, from libmodbus's `EMB*` codes or, for
///   a TCP answer that did not come whole, in words of its own that say what happened.
/// - An answer is used only if it comes from the unit asked and matches the request in function,
///   length and echo (`ModbusRequest`), and over TCP only if it carries the request's own
///   transaction id: answers are checked here, since libmodbus's TCP reads do not check the unit id.
///   libmodbus's raw sender always sends transaction id 0, so TCP requests are framed and written
///   here with an id that grows by one per request (wrapping at 16 bits); RTU requests go out
///   through the raw sender.
/// - TCP answers are read here too, exactly as long as their MBAP header says and no further, and
///   each fault is named for what it is: an impossible header (protocol id not 0, length outside
///   2–254) is a `badResponse` as soon as it is in, without waiting for the timeout; an orderly
///   close by the device is "the device closed the connection" (`connectionLost`), a reset keeps
///   the C library's words, and no whole answer in time is `timedOut`; the last two of these say
///   how many bytes of the answer had arrived. RTU answers come through libmodbus's receiver.
/// - Before each request the bytes already waiting are dropped and counted (`staleBytesDropped`): a
///   device that answers twice or adds trailing bytes left them, and they belong to no request
///   sent since. The transaction id check, not the flush, is what keeps such a copy from being
///   used: a copy that arrives after the flush is refused as another transaction.
/// - After any failed request the connection is closed at once. A kept socket after a timeout was
///   seen to get out of step, with every later answer refused as EMBBADDATA; a fresh connection
///   (and, for a serial line, a flush of late bytes) is the only reliable recovery.
/// - Error recovery stays `MODBUS_ERROR_RECOVERY_NONE`: libmodbus's link recovery sleeps and
///   reconnects inside the call for seconds, which would stall the polling schedule.
/// - The whole answer must arrive within the request's response timeout: over TCP one deadline on
///   CLOCK_MONOTONIC for every read, over RTU libmodbus's response timeout with byte timeouts off.
///   So one request never takes longer than its response timeout (plus the transmit time of the
///   request itself).
///
/// Not thread-safe: a connection belongs to the one polling thread of its link.
final class ModbusConnection {
    /// Where the connection goes.
    let transport: ModbusTransport
    private let context: OpaquePointer
    /// Whether a connection is open.
    private(set) var isConnected = false
    /// The transaction id of the last TCP request. It runs on across reconnects, so even an id
    /// seen on an earlier connection is not expected again for 65,536 requests.
    private var transaction: UInt16 = 0
    /// Bytes found waiting before a request and dropped, over every connection of this link (over
    /// RTU always 0: tcflush does not say how many bytes it dropped).
    private(set) var staleBytesDropped: UInt64 = 0
    /// The last answer received, kept to spare an allocation per request (the largest ADU is TCP's).
    private var answer = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))

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
            throw ModbusError(operation: "set up \(transport)", code: errno)
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
            let code = errno
            if code == EINPROGRESS {
                // libmodbus's connect gave up waiting and left the errno of the non-blocking connect.
                throw ModbusError(
                    operation: "connect", reason: .timedOut, message: "no answer within \(timeoutMilliseconds) ms")
            }
            throw Self.error("connect", code: code)
        }
        // A serial line may still hold the tail of an answer that came too late: the flush before
        // each request drops it.
        isConnected = true
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
        try readBits(.readDiscreteInputs, "read discrete inputs", unit: unit, run: run, into: &values,
                     timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Reads coils (function 01) of `run` into `values[run.offset...]`, one byte per bit.
    func readCoils(
        unit: Int, run: ModbusAddressRun, into values: inout [UInt8], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        try readBits(.readCoils, "read coils", unit: unit, run: run, into: &values,
                     timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The bit read `function` (coils or discrete inputs), named `name` in errors.
    private func readBits(
        _ function: ModbusRequest.Function, _ name: String, unit: Int, run: ModbusAddressRun,
        into values: inout [UInt8], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        let request = ModbusRequest(unit: unit, read: function, start: run.start, count: run.count)
        let bits = try exchange(name, request, run: run, timeoutMilliseconds: timeoutMilliseconds)
        Self.unpack(bits, count: run.count, into: &values, at: run.offset)
    }

    /// Reads input registers (function 04) of `run` into `values[run.offset...]`.
    func readInputRegisters(
        unit: Int, run: ModbusAddressRun, into values: inout [UInt16], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        let request = ModbusRequest(unit: unit, read: .readInputRegisters, start: run.start, count: run.count)
        let bytes = try exchange("read input registers", request, run: run, timeoutMilliseconds: timeoutMilliseconds)
        for index in 0..<run.count {
            let high = bytes[bytes.startIndex + 2 * index]
            let low = bytes[bytes.startIndex + 2 * index + 1]
            values[run.offset + index] = UInt16(high) << 8 | UInt16(low)
        }
    }

    /// Writes the coils of `run` from `values[run.offset...]` (0 off, else on): function 05 for a
    /// single coil, which every device supports, function 15 for several.
    func writeCoils(
        unit: Int, run: ModbusAddressRun, from values: [UInt8], timeoutMilliseconds: Int
    ) throws(ModbusError) {
        let request = ModbusRequest(
            unit: unit, writing: values[run.offset..<run.offset + run.count], start: run.start)
        _ = try exchange("write coils", request, run: run, timeoutMilliseconds: timeoutMilliseconds)
    }

    // MARK: - Internals

    private func setTimeout(milliseconds: Int) {
        let microseconds = max(milliseconds, 1) * 1000
        _ = modbus_set_response_timeout(context, UInt32(microseconds / 1_000_000), UInt32(microseconds % 1_000_000))
    }

    /// Drops the bytes waiting, sends `request` on the open connection and returns its checked
    /// answer's data (`ModbusRequest.payload`). Any failure, including an answer from another unit
    /// or to another transaction, closes the connection.
    private func exchange(
        _ name: String, _ request: ModbusRequest, run: ModbusAddressRun, timeoutMilliseconds: Int
    ) throws(ModbusError) -> ArraySlice<UInt8> {
        precondition(isConnected, "a Modbus request needs an open connection")
        // libmodbus's RTU receiver drops an answer from another address by this id before its CRC check.
        precondition(modbus_set_slave(context, CInt(request.unit)) == 0, "unit id \(request.unit) is outside 0–247")
        do {
            let (length, framing) = try transact(request, timeoutMilliseconds: timeoutMilliseconds)
            return try request.payload(of: answer[0..<length], framing: framing)
        } catch {
            close()
            throw ModbusError(operation: "\(name) \(run.rangeText)", reason: error.reason, message: error.message)
        }
    }

    /// Drops the bytes waiting, sends `request` and receives its whole answer into `answer`: the
    /// answer's length and the framing it is to be checked with. Errors name no operation.
    private func transact(_ request: ModbusRequest, timeoutMilliseconds: Int) throws(ModbusError)
        -> (Int, ModbusRequest.Framing)
    {
        // TCP: a non-blocking recv loop that returns the bytes dropped; RTU: tcflush, 0 or -1.
        let dropped = modbus_flush(context)
        guard dropped >= 0 else { throw Self.error("", code: errno) }
        staleBytesDropped += UInt64(dropped)
        switch transport {
        case .tcp:
            transaction &+= 1
            try send(request.tcpADU(transaction: transaction))
            return (try receiveTCPAnswer(timeoutMilliseconds: timeoutMilliseconds), .tcp(transaction: transaction))
        case .rtu:
            setTimeout(milliseconds: timeoutMilliseconds)
            let raw = request.rawBytes
            let sent = raw.withUnsafeBufferPointer { modbus_send_raw_request(context, $0.baseAddress, CInt($0.count)) }
            guard sent >= 0 else { throw Self.error("", code: errno) }
            let received = answer.withUnsafeMutableBufferPointer { buffer in
                modbus_receive_confirmation(context, buffer.baseAddress)
            }
            guard received >= 0 else { throw Self.error("", code: errno) }
            return (Int(received), .rtu)
        }
    }

    /// Writes all of a TCP `adu` to libmodbus's socket, sending again after a short send. libmodbus
    /// opened the socket non-blocking, so a send buffer without room (a device that stopped reading)
    /// fails the request at once as EAGAIN rather than waiting.
    private func send(_ adu: [UInt8]) throws(ModbusError) {
        let socket = modbus_get_socket(context)
        var offset = 0
        while offset < adu.count {
            let sent = adu.withUnsafeBytes { bytes in
                Result { () throws(SystemError) in
                    try Syscall.send(socket, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
            }
            switch sent {
            case .success(let count):
                offset += count
            case .failure(let error):
                throw Self.error("", code: error.code)
            }
        }
    }

    /// Receives one TCP answer into `answer` and returns its length: the fixed part of the MBAP
    /// header, then exactly the length it announces (`ModbusTCPHeader`), never a byte of whatever
    /// follows. The whole answer must be in within `timeoutMilliseconds`, one deadline for every
    /// read, as libmodbus's response timeout with byte timeouts off. Each way of not getting it
    /// has its own words, since libmodbus's were wrong for two of them: an impossible length is
    /// refused at once (libmodbus waited for the bytes it implied and reported a timeout), and an
    /// orderly close is not a reset (libmodbus set ECONNRESET when recv returned 0).
    private func receiveTCPAnswer(timeoutMilliseconds: Int) throws(ModbusError) -> Int {
        let socket = modbus_get_socket(context)
        let deadline = Clocks.monotonicNanoseconds() + max(timeoutMilliseconds, 1) * 1_000_000
        var header: ModbusTCPHeader?
        var received = 0
        var expected = ModbusTCPHeader.fixedLength
        while received < expected {
            let outcome = answer.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemError) in
                    let unread = UnsafeMutableRawBufferPointer(rebasing: buffer[received..<expected])
                    return try Syscall.receiveNow(socket, into: unread)
                }
            }
            switch outcome {
            case .failure(let error):
                // A reset (ECONNRESET) and every other errno keep the C library's words.
                throw Self.error("", code: error.code)
            case .success(nil):
                guard try Self.waitReadable(socket, until: deadline) else {
                    throw ModbusError(
                        operation: "", reason: .timedOut,
                        message: received == 0
                            ? "no answer within \(timeoutMilliseconds) ms"
                            : "no complete answer within \(timeoutMilliseconds) ms: "
                                + Self.progress(received, of: header))
                }
            case .success(0):
                throw ModbusError(
                    operation: "", reason: .connectionLost,
                    message: received == 0
                        ? "the device closed the connection before answering"
                        : "the device closed the connection before its answer was complete: "
                            + Self.progress(received, of: header))
            case .success(let count?):
                received += count
                if header == nil, received == ModbusTCPHeader.fixedLength {
                    let fixed = try ModbusTCPHeader(answer[0..<received])
                    header = fixed
                    expected = fixed.aduLength
                }
            }
        }
        return received
    }

    /// How much of an answer had arrived: `received` bytes, of the length `header` announced if it is in.
    private static func progress(_ received: Int, of header: ModbusTCPHeader?) -> String {
        guard let header else { return "\(received) bytes of the MBAP header had arrived" }
        return "\(received) of the \(header.aduLength) bytes announced had arrived"
    }

    /// Waits until `socket` has something to read (bytes, the end of the stream or an error) or
    /// CLOCK_MONOTONIC reaches `deadline` (nanoseconds); false once the deadline has passed.
    private static func waitReadable(_ socket: CInt, until deadline: Int) throws(ModbusError) -> Bool {
        let remaining = deadline - Clocks.monotonicNanoseconds()
        guard remaining > 0 else { return false }
        var entry = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let waited = withUnsafeMutablePointer(to: &entry) { pointer in
            Result { () throws(SystemError) in
                // Rounded up, so a wait that ends empty-handed ends at or after the deadline.
                try Syscall.poll(
                    UnsafeMutableBufferPointer(start: pointer, count: 1),
                    timeoutMilliseconds: CInt((remaining + 999_999) / 1_000_000))
            }
        }
        if case .failure(let error) = waited {
            throw Self.error("", code: error.code)
        }
        // Ready or not, the caller reads again; a wait that ended empty-handed finds the deadline passed.
        return true
    }

    /// Unpacks `count` bits (the first in the lowest bit) into `values[offset...]`, one byte per bit.
    private static func unpack(_ bits: ArraySlice<UInt8>, count: Int, into values: inout [UInt8], at offset: Int) {
        for index in 0..<count {
            values[offset + index] = bits[bits.startIndex + index / 8] >> (index % 8) & 1
        }
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
