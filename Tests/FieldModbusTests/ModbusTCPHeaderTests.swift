import Testing

@testable import FieldModbus

@Suite struct ModbusTCPHeaderTests {
    /// The fixed part of an MBAP header: transaction 0x1234, `protocolId`, `length`.
    private func fixed(protocolId: UInt16 = 0, length: Int) -> ArraySlice<UInt8> {
        [0x12, 0x34, UInt8(protocolId >> 8), UInt8(protocolId & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)]
    }

    @Test(arguments: [2, 3, 254])
    func aPossibleLengthSaysHowLongTheAnswerIs(length: Int) throws {
        let header = try ModbusTCPHeader(fixed(length: length))
        #expect(header.transaction == 0x1234 && header.length == length)
        #expect(header.aduLength == 6 + length)
    }

    /// E3: libmodbus waited for the bytes a length of 0 left out and reported "Connection timed out".
    @Test func aLengthTooShortForAnyAnswerIsABadResponse() {
        for length in [0, 1] {
            #expect(
                throws: ModbusError(
                    operation: "", reason: .badResponse,
                    message: "answered with MBAP length \(length): no Modbus answer is that short "
                        + "(2 at least, a unit id and a function code)")
            ) { try ModbusTCPHeader(fixed(length: length)) }
        }
    }

    @Test func aLengthBeyondTheLargestAnswerIsABadResponse() {
        for length in [255, 0xFFFF] {
            #expect(
                throws: ModbusError(
                    operation: "", reason: .badResponse,
                    message: "answered with MBAP length \(length): no Modbus answer is that long (254 at most)")
            ) { try ModbusTCPHeader(fixed(length: length)) }
        }
    }

    @Test func anotherProtocolIsABadResponseWhateverItsLength() {
        #expect(
            throws: ModbusError(
                operation: "", reason: .badResponse, message: "answered with protocol id 1, not 0: not a Modbus answer")
        ) { try ModbusTCPHeader(fixed(protocolId: 1, length: 6)) }
    }

    @Test func onlyTheFixedPartIsRead() throws {
        let answer: [UInt8] = [0xFF] + fixed(length: 3) + [2, 0x02, 0]
        let header = try ModbusTCPHeader(answer[1...])
        #expect(header.transaction == 0x1234 && header.length == 3)
    }
}
