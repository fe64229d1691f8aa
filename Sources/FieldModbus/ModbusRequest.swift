/// One request of the kinds the backends make, as the bytes sent (`modbus_send_raw_request`'s for
/// RTU, a whole TCP ADU with its own transaction id for TCP), and the check of the whole answer
/// received (by `ModbusConnection` over TCP, by libmodbus's `modbus_receive_confirmation` over RTU).
///
/// Why not libmodbus's own read and write calls: over TCP they check the transaction id of an
/// answer but not its unit id, so a gateway or device answering for another unit had its data
/// used as this unit's. Every answer is checked here against everything the request fixes — unit
/// id, function, byte count, echoed address, count and value — and anything else is a
/// `badResponse`, the same communication error as any other unusable answer. Over TCP that includes
/// the transaction id: an answer sent twice, or one that came late, stays in the socket and would
/// otherwise be taken as the answer to the next request of the same function. Pure: no I/O.
/// Its check is visible to the fuzz target (SystemTests/fuzz/run-modbus-fuzz.sh) as `@_spi(Fuzzing)`.
@_spi(Fuzzing) public struct ModbusRequest: Equatable {
    /// The Modbus function codes the backends use.
    @_spi(Fuzzing) public enum Function: UInt8, CaseIterable {
        case readCoils = 0x01
        case readDiscreteInputs = 0x02
        case readInputRegisters = 0x04
        case writeSingleCoil = 0x05
        case writeMultipleCoils = 0x0F
    }

    /// How an application data unit is framed around the PDU, and what the answer must carry.
    @_spi(Fuzzing) public enum Framing: Equatable {
        /// MBAP header (transaction id, protocol id, length, unit id), no checksum. The answer must
        /// carry `transaction`, the id its request went out with (`tcpADU(transaction:)`).
        case tcp(transaction: UInt16)
        /// Address byte before the PDU, CRC after it (already verified by libmodbus). RTU has no
        /// transaction ids; a serial line is flushed before each request instead.
        case rtu

        var headerLength: Int {
            switch self {
            case .tcp: return 7
            case .rtu: return 1
            }
        }

        var checksumLength: Int {
            switch self {
            case .tcp: return 0
            case .rtu: return 2
            }
        }
    }

    let unit: UInt8
    let function: Function
    let start: UInt16
    let count: UInt16
    /// For writes: the coil values, 0 off, else on; empty for reads.
    let coils: [UInt8]

    /// A read of `count` values from `start` (a read function only).
    @_spi(Fuzzing) public init(unit: Int, read function: Function, start: Int, count: Int) {
        precondition(function != .writeSingleCoil && function != .writeMultipleCoils, "a read function")
        self.init(unit: unit, function: function, start: start, count: count, coils: [])
    }

    /// A write of `coils` from `start`: function 05 for one coil, which every device supports, 15 for several.
    @_spi(Fuzzing) public init(unit: Int, writing coils: ArraySlice<UInt8>, start: Int) {
        self.init(
            unit: unit, function: coils.count == 1 ? .writeSingleCoil : .writeMultipleCoils, start: start,
            count: coils.count, coils: Array(coils))
    }

    private init(unit: Int, function: Function, start: Int, count: Int, coils: [UInt8]) {
        precondition((0...247).contains(unit), "unit id \(unit) is outside 0–247")
        precondition((0...0xFFFF).contains(start) && (1...2000).contains(count), "address run within the protocol")
        self.unit = UInt8(unit)
        self.function = function
        self.start = UInt16(start)
        self.count = UInt16(count)
        self.coils = coils
    }

    /// Unit id, function code and the PDU's data: what `modbus_send_raw_request` frames and sends
    /// over RTU, and what follows the MBAP length over TCP.
    var rawBytes: [UInt8] {
        var bytes: [UInt8] = [unit, function.rawValue, UInt8(start >> 8), UInt8(start & 0xFF)]
        switch function {
        case .readCoils, .readDiscreteInputs, .readInputRegisters:
            bytes += [UInt8(count >> 8), UInt8(count & 0xFF)]
        case .writeSingleCoil:
            bytes += [coils[0] == 0 ? 0x00 : 0xFF, 0x00]
        case .writeMultipleCoils:
            bytes += [UInt8(count >> 8), UInt8(count & 0xFF), UInt8(packedLength)]
            bytes += Self.pack(coils)
        }
        return bytes
    }

    /// The request as a Modbus TCP application data unit sent with `transaction`: MBAP header
    /// (transaction id, protocol 0, length of what follows), unit id, PDU. libmodbus's raw sender
    /// cannot set the id (it always sends 0), so the connection writes this itself.
    func tcpADU(transaction: UInt16) -> [UInt8] {
        let unitAndPDU = rawBytes
        let length = unitAndPDU.count
        return [UInt8(transaction >> 8), UInt8(transaction & 0xFF), 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)]
            + unitAndPDU
    }

    /// The answer's data after the byte count for a read (bits packed, registers big-endian);
    /// empty for a write. Throws `badResponse` for an answer to another TCP transaction, from
    /// another unit, of another function, of the wrong length or echo, or a malformed exception,
    /// and `exception` for a Modbus exception answer of this request.
    @_spi(Fuzzing) public func payload(of answer: ArraySlice<UInt8>, framing: Framing) throws(ModbusError)
        -> ArraySlice<UInt8>
    {
        let header = framing.headerLength
        if case .rtu = framing, answer.isEmpty {
            // libmodbus's RTU receiver returns nothing for a frame from another address.
            throw ModbusError.badResponse("answered as another unit, not unit \(unit)")
        }
        guard answer.count >= header + 2 + framing.checksumLength else {
            throw ModbusError.badResponse("answered \(answer.count) bytes, too short for a Modbus answer")
        }
        let adu = Array(answer.dropLast(framing.checksumLength))
        if case .tcp(let expected) = framing {
            let mbap = try ModbusTCPHeader(adu[...])
            guard mbap.transaction == expected else {
                throw ModbusError.badResponse(
                    "answered with transaction id \(mbap.transaction), not \(expected) of this request: "
                        + "a repeated or late answer to an earlier request")
            }
            guard mbap.aduLength == adu.count else {
                let followed = adu.count - ModbusTCPHeader.fixedLength
                throw ModbusError.badResponse(
                    "answered with MBAP length \(mbap.length), but \(followed) bytes followed")
            }
        }
        let answeringUnit = adu[header - 1]
        guard answeringUnit == unit else {
            throw ModbusError.badResponse("answered as unit \(answeringUnit), not unit \(unit)")
        }
        let pdu = adu[header...]
        let code = pdu[pdu.startIndex]
        if code == function.rawValue | 0x80 {
            guard pdu.count == 2 else { throw ModbusError.badResponse("answered a malformed exception") }
            let exception = Int(pdu[pdu.startIndex + 1])
            throw ModbusError(
                operation: "", reason: .exception(code: exception), message: "Modbus exception \(exception)")
        }
        guard code == function.rawValue else {
            throw ModbusError.badResponse("answered function \(code) to a request of function \(function.rawValue)")
        }
        let data = pdu.dropFirst()
        switch function {
        case .readCoils, .readDiscreteInputs, .readInputRegisters:
            let expected = function == .readInputRegisters ? 2 * Int(count) : packedLength
            guard data.count == expected + 1, Int(data[data.startIndex]) == expected else {
                throw ModbusError.badResponse("answered \(data.count - 1) data bytes for a request of \(expected)")
            }
            return data.dropFirst()
        case .writeSingleCoil, .writeMultipleCoils:
            let echo = Array(rawBytes[2..<6])
            guard Array(data) == echo else {
                throw ModbusError.badResponse("answered \(Array(data)) where the request's \(echo) was to be echoed")
            }
            return data.suffix(0)
        }
    }

    /// Bytes of `count` coils packed eight to a byte.
    private var packedLength: Int { (Int(count) + 7) / 8 }

    /// Coil values packed eight to a byte, the first in the lowest bit, as the protocol wants.
    private static func pack(_ values: [UInt8]) -> [UInt8] {
        var packed = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (index, value) in values.enumerated() where value != 0 {
            packed[index / 8] |= 1 << (index % 8)
        }
        return packed
    }
}
