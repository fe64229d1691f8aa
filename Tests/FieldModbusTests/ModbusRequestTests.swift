import Testing

@_spi(Fuzzing) @testable import FieldModbus

@Suite struct ModbusRequestTests {
    /// The transaction id the requests of these tests are taken to have been sent with.
    private let sent: ModbusRequest.Framing = .tcp(transaction: 0x1234)

    /// A TCP answer as the connection receives it: MBAP header (transaction 0x1234 unless
    /// given), then the PDU.
    private func tcp(unit: UInt8, transaction: UInt16 = 0x1234, _ pdu: [UInt8]) -> ArraySlice<UInt8> {
        let length = pdu.count + 1
        let header = [UInt8(transaction >> 8), UInt8(transaction & 0xFF), 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)]
        return (header + [unit] + pdu)[...]
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
        let data = try request.payload(of: tcp(unit: 2, [0x02, 2, 0b101, 0b10]), framing: sent)
        #expect(Array(data) == [0b101, 0b10])
    }

    /// issue 13, defect 5: libmodbus's TCP read took this answer as unit 2's inputs.
    @Test func anAnswerFromAnotherUnitIsABadResponse() {
        let request = ModbusRequest(unit: 2, read: .readDiscreteInputs, start: 0, count: 10)
        #expect(throws: ModbusError(operation: "", reason: .badResponse, message: "answered as unit 99, not unit 2")) {
            try request.payload(of: tcp(unit: 99, [0x02, 2, 0b101, 0b10]), framing: sent)
        }
        // RTU: the address byte leads, the CRC (checked by libmodbus) follows.
        #expect(throws: ModbusError.self) {
            try request.payload(of: [99, 0x02, 2, 0b101, 0b10, 0xAA, 0xBB][...], framing: .rtu)
        }
        #expect(throws: Never.self) {
            try request.payload(of: [2, 0x02, 2, 0b101, 0b10, 0xAA, 0xBB][...], framing: .rtu)
        }
    }

    @Test func wrongFunctionLengthProtocolOrEchoAreBadResponses() {
        let read = ModbusRequest(unit: 2, read: .readInputRegisters, start: 0, count: 2)
        let answers: [ArraySlice<UInt8>] = [
            tcp(unit: 2, [0x03, 4, 0, 1, 0, 2]),  // another function
            tcp(unit: 2, [0x04, 2, 0, 1]),  // too few registers
            tcp(unit: 2, [0x04, 4, 0, 1, 0]),  // byte count larger than the data
            ([0x12, 0x34, 0, 1, 0, 7, 2, 0x04, 4, 0, 1, 0, 2] as [UInt8])[...],  // another protocol
            ([0x12, 0x34, 0, 0, 0, 9, 2, 0x04, 4, 0, 1, 0, 2] as [UInt8])[...],  // MBAP length disagrees
            tcp(unit: 2, []),  // no PDU
        ]
        for answer in answers {
            #expect(throws: ModbusError.self) { try read.payload(of: answer, framing: sent) }
            do {
                _ = try read.payload(of: answer, framing: sent)
            } catch {
                #expect(error.reason == .badResponse, "\(answer)")
            }
        }
        let write = ModbusRequest(unit: 2, writing: [1, 1][...], start: 8)
        #expect(throws: Never.self) { try write.payload(of: tcp(unit: 2, [0x0F, 0, 8, 0, 2]), framing: sent) }
        #expect(throws: ModbusError.self) { try write.payload(of: tcp(unit: 2, [0x0F, 0, 9, 0, 2]), framing: sent) }
    }

    @Test func aTCPRequestCarriesItsTransactionIdInTheMBAPHeader() {
        let request = ModbusRequest(unit: 11, read: .readDiscreteInputs, start: 0x0102, count: 10)
        #expect(request.tcpADU(transaction: 0xBEEF) == [0xBE, 0xEF, 0, 0, 0, 6, 11, 0x02, 0x01, 0x02, 0x00, 0x0A])
        let write = ModbusRequest(unit: 3, writing: [1, 0, 1, 1, 0, 0, 0, 0, 1][...], start: 4)
        #expect(write.tcpADU(transaction: 1) == [0, 1, 0, 0, 0, 9] + write.rawBytes)
    }

    /// E5: libmodbus's raw sender used transaction 0 for every request, so a second copy of an
    /// answer, left in the socket, passed as the answer to the next request of the same function.
    @Test func anAnswerToAnotherTransactionIsABadResponseSayingSo() throws {
        let request = ModbusRequest(unit: 2, read: .readDiscreteInputs, start: 0, count: 10)
        let answer: [UInt8] = [0x02, 2, 0b101, 0b10]
        #expect(Array(try request.payload(of: tcp(unit: 2, transaction: 7, answer), framing: .tcp(transaction: 7)))
            == [0b101, 0b10])
        for earlier: UInt16 in [6, 0, 0xFFFF] {
            let expected = ModbusError(
                operation: "", reason: .badResponse,
                message: "answered with transaction id \(earlier), not 7 of this request: "
                    + "a repeated or late answer to an earlier request")
            #expect(throws: expected) {
                try request.payload(of: tcp(unit: 2, transaction: earlier, answer), framing: .tcp(transaction: 7))
            }
        }
    }

    @Test func anExceptionAnswerOfThisRequestIsAnException() {
        let request = ModbusRequest(unit: 2, read: .readCoils, start: 0, count: 1)
        do {
            _ = try request.payload(of: tcp(unit: 2, [0x81, 2]), framing: sent)
            Issue.record("an exception answer was used as data")
        } catch {
            #expect(error.reason == .exception(code: 2))
        }
    }
}
