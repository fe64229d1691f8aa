import Testing

@testable import FieldModbus

@Suite struct ModbusAddressRunTests {
    @Test func consecutiveAddressesShareARequest() {
        let runs = ModbusAddressRun.runs(covering: [0, 1, 2, 5, 6, 9], limit: 2000)
        #expect(
            runs == [
                ModbusAddressRun(start: 0, count: 3, offset: 0), ModbusAddressRun(start: 5, count: 2, offset: 3),
                ModbusAddressRun(start: 9, count: 1, offset: 5),
            ])
        #expect(runs.map(\.rangeText) == ["0–2", "5–6", "9"])
    }

    @Test func aRunNeverExceedsTheProtocolLimit() {
        let runs = ModbusAddressRun.runs(covering: Array(0..<300), limit: 125)
        #expect(runs.map(\.count) == [125, 125, 50])
        #expect(runs.map(\.start) == [0, 125, 250])
        #expect(runs.map(\.offset) == [0, 125, 250])
    }

    @Test func noAddressesNoRequests() {
        #expect(ModbusAddressRun.runs(covering: [], limit: 10).isEmpty)
    }
}
