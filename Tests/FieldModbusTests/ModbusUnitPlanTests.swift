import SignalCore
import Testing

@testable import FieldModbus

@Suite struct ModbusUnitPlanTests {
    static let unit = ModbusUnit(
        name: "io", transport: .tcp(host: "127.0.0.1", port: 502), unitID: 1, pollIntervalMilliseconds: 100,
        timeoutMilliseconds: 50, staleAfterMilliseconds: 300)

    static func plan() -> ModbusUnitPlan {
        ModbusUnitPlan(
            index: 0, unit: unit,
            detectors: [
                ModbusWiring.DetectorPoint(detector: 1, name: "B", unit: 0, presenceInput: 5, countRegister: nil),
                ModbusWiring.DetectorPoint(detector: 0, name: "A", unit: 0, presenceInput: 4, countRegister: 20),
            ],
            lamps: [
                ModbusWiring.LampPoint(group: 0, name: "N", unit: 0, coils: .vehicle(red: 0, amber: 1, green: 2)),
                ModbusWiring.LampPoint(group: 1, name: "P", unit: 0, coils: .pedestrian(dontWalk: 4, walk: 5)),
            ],
            watchdogCoil: 15)
    }

    @Test func requestsCoverOnlyTheWiredAddresses() {
        let plan = Self.plan()
        #expect(plan.inputRuns == [ModbusAddressRun(start: 4, count: 2, offset: 0)])
        #expect(plan.registerRuns == [ModbusAddressRun(start: 20, count: 1, offset: 0)])
        #expect(
            plan.coilRuns == [
                ModbusAddressRun(start: 0, count: 3, offset: 0), ModbusAddressRun(start: 4, count: 2, offset: 3),
                ModbusAddressRun(start: 15, count: 1, offset: 5),
            ])
    }

    @Test func theCoilImageShowsTheCommandAndTheWatchdogLevel() {
        var plan = Self.plan()
        plan.watchdogLevel = 1
        plan.drawLamps([.redAmber, .walk], tick: 0)
        #expect(plan.coilImage == [1, 1, 0, 0, 1, 1])
        plan.drawLamps([.flashingAmber, .flashingDontWalk], tick: 7)
        #expect(plan.coilImage == [0, 0, 0, 0, 0, 1], "dark half of the flash second")
    }

    @Test func theReadBackIsJudgedAgainstWhatWasWritten() {
        var plan = Self.plan()
        plan.drawLamps([.green, .dontWalk], tick: 0)
        plan.coilReadBack = plan.coilImage
        #expect(plan.judgeReadBack([.green, .dontWalk]).isEmpty)
        #expect(plan.groupResults.allSatisfy { $0.matched })
        plan.coilReadBack[0] = 1
        #expect(plan.judgeReadBack([.green, .dontWalk]) == ["N"])
        #expect(
            plan.groupResults[0]
                == ModbusOutputBoard.GroupReadBack(group: 0, written: .green, shown: .green, matched: false))
        plan.coilReadBack[2] = 0
        _ = plan.judgeReadBack([.green, .dontWalk])
        #expect(plan.groupResults[0].shown == .red)
    }

    @Test func readingsTakeEachDetectorsOwnValues() {
        var plan = Self.plan()
        plan.inputBits = [1, 0]
        plan.registers = [77]
        let changes = plan.takeReadings()
        #expect(
            plan.readings == [
                ModbusInputBoard.Reading(detector: 1, presence: false, counter: nil),
                ModbusInputBoard.Reading(detector: 0, presence: true, counter: 77),
            ])
        #expect(changes.map(\.name) == ["A"])
        #expect(plan.takeReadings().isEmpty, "no change, nothing to log")
    }
}
