import Testing

@testable import Diagnostics

/// Readers holding every ordinary slot must not lock admins out of control (issue 13).
@Suite struct ClientSlotsTests {
    let slots = ClientSlots(maxClients: 16, reservedForControl: 4)

    @Test func readersGetTheOrdinarySlotsOnly() {
        #expect(slots.admits(connected: 15, controlSlot: false))
        #expect(!slots.admits(connected: 16, controlSlot: false))
    }

    @Test func controlPeersStillGetTheReservedSlotsWhenReadersFillTheRest() {
        #expect(slots.admits(connected: 16, controlSlot: true))
        #expect(slots.admits(connected: 19, controlSlot: true))
        #expect(!slots.admits(connected: 20, controlSlot: true))
    }

    @Test func aSingleSlotConfigurationStillLeavesAdminsRoom() {
        let tiny = ClientSlots(maxClients: 1, reservedForControl: 4)
        #expect(!tiny.admits(connected: 1, controlSlot: false))
        #expect(tiny.admits(connected: 1, controlSlot: true))
    }
}
