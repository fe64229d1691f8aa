import SignalCore
import Testing

@testable import FieldModbus

/// The lamp board with a clock moved by hand: groups 0 and 1 on unit 0 (stale after 300 ms),
/// group 2 without Modbus lamps.
@Suite struct ModbusOutputBoardTests {
    static let millisecond = 1_000_000
    let board = ModbusOutputBoard(unitOfGroup: [0, 0, nil], staleAfterNanoseconds: [300 * millisecond], wakes: [])

    private func result(_ group: Int, written: SignalState, shown: SignalState? = nil)
        -> ModbusOutputBoard.GroupReadBack
    {
        ModbusOutputBoard.GroupReadBack(group: group, written: written, shown: shown ?? written, matched: shown == nil)
    }

    @Test func nothingIsConfirmedBeforeTheFirstReadBack() {
        board.apply([.green, .red, .red], tick: 1)
        var states: [SignalState] = [.red, .red, .red]
        #expect(!board.readBack(into: &states, nowNanoseconds: 0))
        #expect(states == [.dark, .dark, .dark])
    }

    @Test func aMatchingReadBackConfirmsTheCurrentCommandWithinTheLimit() {
        let twoGroups = ModbusOutputBoard(
            unitOfGroup: [0, 0], staleAfterNanoseconds: [300 * Self.millisecond], wakes: [])
        twoGroups.apply([.green, .red], tick: 1)
        twoGroups.publish(readNanoseconds: 0, groups: [result(0, written: .green), result(1, written: .red)])
        twoGroups.apply([.amber, .red], tick: 2)
        var states: [SignalState] = [.dark, .dark]
        #expect(twoGroups.readBack(into: &states, nowNanoseconds: 300 * Self.millisecond))
        #expect(states == [.amber, .red], "the field followed every command so far; the newest is in flight")
        #expect(!twoGroups.readBack(into: &states, nowNanoseconds: 300 * Self.millisecond + 1))
        #expect(states == [.green, .red], "unconfirmed: the last states seen")
        #expect(twoGroups.counters.faults == 2)
        #expect(!twoGroups.readBack(into: &states, nowNanoseconds: 400 * Self.millisecond))
        #expect(twoGroups.counters.faults == 2, "a fault onset counts once however long it lasts")
    }

    @Test func aReadBackUnlikeTheCoilsWrittenIsReportedAsRead() {
        let twoGroups = ModbusOutputBoard(
            unitOfGroup: [0, 0], staleAfterNanoseconds: [300 * Self.millisecond], wakes: [])
        twoGroups.apply([.red, .green], tick: 1)
        twoGroups.publish(
            readNanoseconds: 0, groups: [result(0, written: .red, shown: .green), result(1, written: .green)])
        var states: [SignalState] = [.dark, .dark]
        #expect(twoGroups.readBack(into: &states, nowNanoseconds: 10))
        #expect(states == [.green, .green], "fresh, so confirmed as read; the monitor judges the mismatch")
    }

    @Test func aGroupWithoutModbusLampsIsNeverConfirmed() {
        board.apply([.red, .red, .red], tick: 1)
        board.publish(readNanoseconds: 0, groups: [result(0, written: .red), result(1, written: .red)])
        var states: [SignalState] = [.dark, .dark, .dark]
        #expect(!board.readBack(into: &states, nowNanoseconds: 1))
    }

    @Test func commandsNoThreadTookCountAsDropped() {
        var states = [SignalState](repeating: .dark, count: 3)
        #expect(board.takeCommand(into: &states) == nil)
        board.apply([.red, .red, .red], tick: 1)
        board.apply([.redAmber, .red, .red], tick: 2)
        board.apply([.green, .red, .red], tick: 3)
        board.apply([.green, .red, .red], tick: 4)
        #expect(board.takeCommand(into: &states) == 4)
        #expect(states == [.green, .red, .red])
        #expect(board.counters.drops == 2)
        #expect(board.takeCommand(into: &states) == 4)
        #expect(board.counters.drops == 2)
    }

    @Test func theVersionMovesOnChangesAndFlashHalfSecondsOnly() {
        board.apply([.red, .red, .red], tick: 1)
        let first = board.commandVersion
        board.apply([.red, .red, .red], tick: 2)
        #expect(board.commandVersion == first, "an unchanged steady command wakes nobody")
        board.apply([.flashingAmber, .red, .red], tick: 3)
        let flashing = board.commandVersion
        #expect(flashing != first)
        board.apply([.flashingAmber, .red, .red], tick: 4)
        #expect(board.commandVersion == flashing, "same half-second")
        board.apply([.flashingAmber, .red, .red], tick: 5)
        #expect(board.commandVersion != flashing, "the lamp goes dark at the half-second")
    }

    @Test func watchdogRequestsAreTakenOnce() {
        #expect(!board.takeWatchdogToggle())
        board.requestWatchdogToggle()
        board.requestWatchdogToggle()
        #expect(board.takeWatchdogToggle())
        #expect(!board.takeWatchdogToggle())
    }
}
