import FieldGPIO
import SignalCore
import Testing

@Suite struct LampPatternTests {
    @Test func flashIsOneHertzAtHalfDutyFromTheTick() {
        let pattern = (0..<20).map { LampPattern.isFlashOn(tick: $0) }
        #expect(pattern == (0..<20).map { $0 % 10 < 5 })
        #expect(LampPattern.isFlashOn(tick: -3) == false, "ticks before zero keep the same cycle")
    }

    @Test func steadyAspectsLightTheirLamps() {
        #expect(LampPattern.lamps(for: .red, kind: .vehicle, flashOn: false) == .red)
        #expect(LampPattern.lamps(for: .redAmber, kind: .vehicle, flashOn: false) == [.red, .amber])
        #expect(LampPattern.lamps(for: .green, kind: .turnArrow, flashOn: true) == .green)
        #expect(LampPattern.lamps(for: .amber, kind: .vehicle, flashOn: false) == .amber)
        #expect(LampPattern.lamps(for: .dontWalk, kind: .pedestrian, flashOn: false) == .dontWalk)
        #expect(LampPattern.lamps(for: .walk, kind: .pedestrian, flashOn: false) == .walk)
        #expect(LampPattern.lamps(for: .dark, kind: .vehicle, flashOn: true).isEmpty)
    }

    @Test func flashingAspectsLightTheSteadyLampInTheLitHalfOnly() {
        #expect(LampPattern.lamps(for: .flashingAmber, kind: .vehicle, flashOn: true) == .amber)
        #expect(LampPattern.lamps(for: .flashingAmber, kind: .vehicle, flashOn: false).isEmpty)
        #expect(LampPattern.lamps(for: .flashingRed, kind: .vehicle, flashOn: true) == .red)
        #expect(LampPattern.lamps(for: .flashingRed, kind: .pedestrian, flashOn: true) == .dontWalk)
        #expect(LampPattern.lamps(for: .flashingDontWalk, kind: .pedestrian, flashOn: true) == .dontWalk)
        #expect(LampPattern.lamps(for: .flashingDontWalk, kind: .pedestrian, flashOn: false).isEmpty)
    }

    @Test func matchingLampsReadBackAsTheCommandInEitherFlashHalf() {
        for kind in SignalGroupKind.allCases {
            for state in SignalState.allCases {
                for flashOn in [true, false] {
                    let lit = LampPattern.lamps(for: state, kind: kind, flashOn: flashOn)
                    #expect(LampPattern.shown(lit: lit, commanded: state, kind: kind, flashOn: flashOn) == state)
                }
            }
        }
    }

    @Test func anyOtherLampsNeverReadBackAsTheCommand() {
        // Every combination of a vehicle head's three lamps, and of a pedestrian head's two.
        let heads: [(SignalGroupKind, [GPIOLamp])] = [(.vehicle, [.red, .amber, .green]), (.pedestrian, [.dontWalk, .walk])]
        for (kind, lamps) in heads {
            for mask in 0..<(1 << lamps.count) {
                var lit = LampSet()
                for (bit, lamp) in lamps.enumerated() where mask & (1 << bit) != 0 {
                    lit.insert(LampSet(lamp))
                }
                for state in SignalState.allCases {
                    for flashOn in [true, false] where lit != LampPattern.lamps(for: state, kind: kind, flashOn: flashOn) {
                        let shown = LampPattern.shown(lit: lit, commanded: state, kind: kind, flashOn: flashOn)
                        #expect(shown != state, "\(kind) lamps \(lit.rawValue) commanded \(state)")
                    }
                }
            }
        }
    }

    @Test func mismatchesReadAsWhatTheLampsShow() {
        #expect(LampPattern.shown(lit: .green, commanded: .red, kind: .vehicle, flashOn: true) == .green)
        #expect(LampPattern.shown(lit: [], commanded: .green, kind: .vehicle, flashOn: true) == .dark)
        #expect(LampPattern.shown(lit: .amber, commanded: .flashingAmber, kind: .vehicle, flashOn: false) == .amber)
        #expect(LampPattern.shown(lit: [], commanded: .flashingAmber, kind: .vehicle, flashOn: true) == .dark)
        // Red and green together: the green is the one drivers obey, unless green was commanded.
        #expect(LampPattern.shown(lit: [.red, .green], commanded: .red, kind: .vehicle, flashOn: true) == .green)
        #expect(LampPattern.shown(lit: [.red, .green], commanded: .green, kind: .vehicle, flashOn: true) == .red)
        #expect(LampPattern.shown(lit: [.dontWalk, .walk], commanded: .dontWalk, kind: .pedestrian, flashOn: true) == .walk)
    }
}
