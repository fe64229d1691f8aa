import SignalCore
import Testing

@testable import FieldModbus

@Suite struct LampCoilsTests {
    static let vehicle = LampCoils.vehicle(red: 10, amber: 11, green: 12)
    static let pedestrian = LampCoils.pedestrian(dontWalk: 3, walk: 4)

    private func levels(_ coils: LampCoils, _ state: SignalState, flashOn: Bool = true) -> [UInt8] {
        var levels: (UInt8, UInt8, UInt8) = (9, 9, 9)
        coils.pattern(state, flashPhaseOn: flashOn, into: &levels)
        return Array([levels.0, levels.1, levels.2].prefix(coils.addresses.count))
    }

    @Test func vehicleAspectsLightTheirLamps() {
        #expect(levels(Self.vehicle, .red) == [1, 0, 0])
        #expect(levels(Self.vehicle, .redAmber) == [1, 1, 0])
        #expect(levels(Self.vehicle, .green) == [0, 0, 1])
        #expect(levels(Self.vehicle, .amber) == [0, 1, 0])
        #expect(levels(Self.vehicle, .dark) == [0, 0, 0])
        #expect(levels(Self.vehicle, .flashingAmber, flashOn: true) == [0, 1, 0])
        #expect(levels(Self.vehicle, .flashingAmber, flashOn: false) == [0, 0, 0])
        #expect(levels(Self.vehicle, .flashingRed, flashOn: true) == [1, 0, 0])
    }

    @Test func pedestrianAspectsLightTheirLamps() {
        #expect(levels(Self.pedestrian, .dontWalk) == [1, 0])
        #expect(levels(Self.pedestrian, .walk) == [0, 1])
        #expect(levels(Self.pedestrian, .flashingDontWalk, flashOn: true) == [1, 0])
        #expect(levels(Self.pedestrian, .flashingDontWalk, flashOn: false) == [0, 0])
        #expect(levels(Self.pedestrian, .dark) == [0, 0])
    }

    @Test func steadyAspectsReadBackAsThemselves() {
        for state in [SignalState.red, .redAmber, .green, .amber, .dark] {
            let read = levels(Self.vehicle, state)
            #expect(Self.vehicle.state(shown: (read[0], read[1], read[2])) == state)
        }
        for state in [SignalState.dontWalk, .walk, .dark] {
            let read = levels(Self.pedestrian, state)
            #expect(Self.pedestrian.state(shown: (read[0], read[1], 0)) == state)
        }
    }

    @Test func impossibleCombinationsReadAsTheMostPermissiveLamp() {
        #expect(Self.vehicle.state(shown: (1, 0, 1)) == .green)
        #expect(Self.vehicle.state(shown: (1, 1, 1)) == .green)
        #expect(Self.vehicle.state(shown: (0, 1, 1)) == .green)
        #expect(Self.pedestrian.state(shown: (1, 1, 0)) == .walk)
    }

    @Test func flashingIsOnForTheFirstHalfOfEachSecond() {
        #expect((0..<20).map { LampCoils.flashPhaseOn(tick: $0) } == (0..<20).map { $0 % 10 < 5 })
        #expect(LampCoils.flashes(.flashingAmber) && LampCoils.flashes(.flashingDontWalk))
        #expect(!LampCoils.flashes(.dark) && !LampCoils.flashes(.red))
    }
}
