import Testing

@_spi(Fuzzing) @testable import FieldModbus

@Suite struct ModbusRequestTests {
    /// A TCP answer as libmodbus's raw receiver returns it: MBAP header (transaction 0), then the PDU.
    private func tcp(unit: UInt8, _ pdu: [UInt8]) -> ArraySlice<UInt8> {
        let length = pdu.count + 1
        return ([0, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), unit] + pdu)[...]
    }

    @Test func readRequestsCarryUnitFunctionAddressAndCount() {
        let request = ModbusRequest(unit: 11, read: .readDiscreteInputs, start: 0x0102, count: 10)
        #expect(request.rawBytes == [11, 0x02, 0x01, 0x02, 0x00, 0x0A])
    }

    @Test func writesPackCoilsLowBitFirst() {
        let several = ModbusRequest(unit: 3, writing: [1, 0, 1, 1, 0, 0, 0, 0, 1][...], start: 4)
        #expect(several.rawBytes == [3, 0x0F, 0x00, 0x04, 0x00, 0x09, 2, 0b0000_1101, 0b0000_0001])
        let one = ModbusRequest(unit: 3, writing: [7][...], start: 4)
        #expect(one.rawBytes == [3, 0x05, 0x00, 0x04, 0xFF, 0x00])
    }

    @Test func anAnswerFromTheUnitAskedIsUsed() throws {
        let request = ModbusRequest(unit: 2, read: .readDiscreteInputs, start: 0, count: 10)
        let data = try request.payload(of: tcp(unit: 2, [0x02, 2, 0b101, 0b10]), framing: .tcp)
        #expect(Array(data) == [0b101, 0b10])
    }

    /// issue 13, defect 5: libmodbus's TCP read took this answer as unit 2's inputs.
    @Test func anAnswerFromAnotherUnitIsABadResponse() {
        let request = ModbusRequest(unit: 2, read: .readDiscreteInputs, start: 0, count: 10)
        #expect(throws: ModbusError(operation: "", reason: .badResponse, message: "answered as unit 99, not unit 2")) {
            try request.payload(of: tcp(unit: 99, [0x02, 2, 0b101, 0b10]), framing: .tcp)
        }
        // RTU: the address byte leads, the CRC (checked by libmodbus) follows.
        #expect(throws: ModbusError.self) {
            try request.payload(of: [99, 0x02, 2, 0b101, 0b10, 0xAA, 0xBB][...], framing: .rtu)
        }
        #expect(throws: Never.self) {
            try request.payload(of: [2, 0x02, 2, 0b101, 0b10, 0xAA, 0xBB][...], framing: .rtu)
        }
    }

    @Test func wrongFunctionLengthTransactionOrEchoAreBadResponses() {
        let read = ModbusRequest(unit: 2, read: .readInputRegisters, start: 0, count: 2)
        let answers: [ArraySlice<UInt8>] = [
            tcp(unit: 2, [0x03, 4, 0, 1, 0, 2]),  // another function
            tcp(unit: 2, [0x04, 2, 0, 1]),  // too few registers
            tcp(unit: 2, [0x04, 4, 0, 1, 0]),  // byte count larger than the data
            ([0, 7, 0, 0, 0, 7, 2, 0x04, 4, 0, 1, 0, 2] as [UInt8])[...],  // another transaction
            ([0, 0, 0, 0, 0, 9, 2, 0x04, 4, 0, 1, 0, 2] as [UInt8])[...],  // MBAP length disagrees
            tcp(unit: 2, []),  // no PDU
        ]
        for answer in answers {
            #expect(throws: ModbusError.self) { try read.payload(of: answer, framing: .tcp) }
            do {
                _ = try read.payload(of: answer, framing: .tcp)
            } catch {
                #expect(error.reason == .badResponse, "\(answer)")
            }
        }
        let write = ModbusRequest(unit: 2, writing: [1, 1][...], start: 8)
        #expect(throws: Never.self) { try write.payload(of: tcp(unit: 2, [0x0F, 0, 8, 0, 2]), framing: .tcp) }
        #expect(throws: ModbusError.self) { try write.payload(of: tcp(unit: 2, [0x0F, 0, 9, 0, 2]), framing: .tcp) }
    }

    @Test func anExceptionAnswerOfThisRequestIsAnException() {
        let request = ModbusRequest(unit: 2, read: .readCoils, start: 0, count: 1)
        do {
            _ = try request.payload(of: tcp(unit: 2, [0x81, 2]), framing: .tcp)
            Issue.record("an exception answer was used as data")
        } catch {
            #expect(error.reason == .exception(code: 2))
        }
    }
}
