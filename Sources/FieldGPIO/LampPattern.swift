import SignalCore

/// The lamps each aspect lights, and the aspect a set of lit lamps shows: the pure half of the
/// GPIO lamp outputs and their read-back.
///
/// **Flash is driven from the tick.** Flashing aspects (flashing amber, flashing red, flashing
/// don't walk) light their steady lamp for the first half of every second of junction time and
/// leave it dark for the second half (`isFlashOn`): 1 Hz at 50% duty, every head in phase, the
/// NEMA flash rate of 50–60 per minute. The control tick writes every lamp line in every tick, so
/// the flashing line follows the tick with no thread of its own, and the read-back of the same
/// tick knows which half of the flash it should see.
public enum LampPattern {
    /// Single lamps from the one that lets traffic go soonest to the one that stops it.
    private static let byPermissiveness: [(GPIOLamp, SignalState)] = [
        (.green, .green), (.walk, .walk), (.amber, .amber), (.red, .red), (.dontWalk, .dontWalk),
    ]

    /// True in the lit half of the flash cycle: ticks 0–4 of every 10 (tenths of a second).
    public static func isFlashOn(tick: Tenths) -> Bool {
        ((tick % 10) + 10) % 10 < 5
    }

    /// The lamps a head of `kind` lights for `state` in the given half of the flash cycle.
    ///
    /// A pedestrian head flashes red as flashing don't walk; a vehicle head has no lamp for a
    /// pedestrian aspect (and the reverse), so such a command lights nothing and the read-back
    /// reports the head dark.
    public static func lamps(for state: SignalState, kind: SignalGroupKind, flashOn: Bool) -> LampSet {
        let pedestrian = kind == .pedestrian
        switch state {
        case .red: return pedestrian ? [] : .red
        case .redAmber: return pedestrian ? [] : .redAmber
        case .green: return pedestrian ? [] : .green
        case .amber: return pedestrian ? [] : .amber
        case .flashingAmber: return pedestrian || !flashOn ? [] : .amber
        case .flashingRed:
            guard flashOn else { return [] }
            return pedestrian ? .dontWalk : .red
        case .dontWalk: return pedestrian ? .dontWalk : []
        case .walk: return pedestrian ? .walk : []
        case .flashingDontWalk: return pedestrian && flashOn ? .dontWalk : []
        case .dark: return []
        }
    }

    /// The aspect a head of `kind` shows with `lit` lamps, given what was commanded.
    ///
    /// When the lamps are exactly what `commanded` lights in this half of the flash cycle, the
    /// answer is `commanded`. Otherwise it is never `commanded`, so the safety monitor sees the
    /// mismatch: a steady aspect that matches the lamps exactly, or for an impossible mix (red
    /// and green together) the most permissive lit lamp that differs from the command, because
    /// that is the one a driver would obey.
    public static func shown(
        lit: LampSet, commanded: SignalState, kind: SignalGroupKind, flashOn: Bool
    ) -> SignalState {
        if lit == lamps(for: commanded, kind: kind, flashOn: flashOn) {
            return commanded
        }
        if let steady = steadyAspect(lit, kind: kind), steady != commanded {
            return steady
        }
        for (lamp, state) in byPermissiveness where lit.contains(lamp) && state != commanded {
            return state
        }
        // Unreachable with real lamps: some lit lamp differs from any one command. Not the command,
        // so the monitor still sees a mismatch.
        return commanded == .dark ? .red : .dark
    }

    /// The steady aspect whose lamps are exactly `lit`, if any.
    private static func steadyAspect(_ lit: LampSet, kind: SignalGroupKind) -> SignalState? {
        if lit.isEmpty { return .dark }
        if kind == .pedestrian {
            if lit == .dontWalk { return .dontWalk }
            if lit == .walk { return .walk }
            return nil
        }
        switch lit {
        case .red: return .red
        case .redAmber: return .redAmber
        case .green: return .green
        case .amber: return .amber
        default: return nil
        }
    }
}
