import CModbus

/// The fixed start of a Modbus TCP answer's MBAP header (transaction id, protocol id, length of
/// what follows): all a receiver needs to know how many bytes the answer has.
///
/// Guarantees: a header exists only with protocol id 0 (Modbus) and a length of 2–254, at least a
/// unit id and a function code and at most the largest ADU (`MODBUS_TCP_MAX_ADU_LENGTH`) less these
/// six bytes. Anything else is a `badResponse` as soon as the six bytes are in: a receiver that
/// trusted such a length would wait for bytes that never come (libmodbus did, and reported the
/// timeout) or read on into whatever the device sends next. Pure: no I/O.
struct ModbusTCPHeader: Equatable {
    /// Bytes of transaction id, protocol id and length: what the length is known from.
    static let fixedLength = 6
    /// The lengths a Modbus answer can announce.
    static let lengths = 2...(Int(MODBUS_TCP_MAX_ADU_LENGTH) - fixedLength)

    /// The transaction id the answer carries.
    let transaction: UInt16
    /// The announced length: bytes of unit id and PDU after the fixed part.
    let length: Int

    /// The whole answer's length in bytes, header included.
    var aduLength: Int { Self.fixedLength + length }

    /// Reads the first `fixedLength` bytes of `bytes`, which must hold that many.
    init(_ bytes: ArraySlice<UInt8>) throws(ModbusError) {
        precondition(bytes.count >= Self.fixedLength, "the fixed part of an MBAP header")
        let start = bytes.startIndex
        let protocolId = UInt16(bytes[start + 2]) << 8 | UInt16(bytes[start + 3])
        let length = Int(bytes[start + 4]) << 8 | Int(bytes[start + 5])
        guard protocolId == 0 else {
            throw ModbusError.badResponse("answered with protocol id \(protocolId), not 0: not a Modbus answer")
        }
        guard length >= Self.lengths.lowerBound else {
            throw ModbusError.badResponse(
                "answered with MBAP length \(length): no Modbus answer is that short "
                    + "(\(Self.lengths.lowerBound) at least, a unit id and a function code)")
        }
        guard length <= Self.lengths.upperBound else {
            throw ModbusError.badResponse(
                "answered with MBAP length \(length): no Modbus answer is that long "
                    + "(\(Self.lengths.upperBound) at most)")
        }
        self.transaction = UInt16(bytes[start]) << 8 | UInt16(bytes[start + 1])
        self.length = length
    }
}
