import SignalCore

/// The coils that light one signal group's lamps, and the coil pattern for each aspect.
///
/// Flashing aspects are made by switching the lamp coil on for the first half of each second of
/// controller time (`flashPhaseOn`), since a plain I/O module has no flasher of its own.
public enum LampCoils: Sendable, Equatable {
    /// A vehicle head or turn arrow: red, amber and green lamps.
    case vehicle(red: Int, amber: Int, green: Int)
    /// A pedestrian head: don't walk and walk lamps.
    case pedestrian(dontWalk: Int, walk: Int)

    /// The coil addresses, in the order `pattern` and `state(shown:)` use.
    public var addresses: [Int] {
        switch self {
        case .vehicle(let red, let amber, let green): return [red, amber, green]
        case .pedestrian(let dontWalk, let walk): return [dontWalk, walk]
        }
    }

    /// Whether flashing lamps are lit at `tick` (tenths): on for the first half of each second.
    public static func flashPhaseOn(tick: Tenths) -> Bool { (tick % 10 + 10) % 10 < 5 }

    /// Whether `state` is drawn by switching a lamp on and off.
    public static func flashes(_ state: SignalState) -> Bool {
        switch state {
        case .flashingAmber, .flashingRed, .flashingDontWalk: return true
        case .red, .redAmber, .green, .amber, .dontWalk, .walk, .dark: return false
        }
    }

    /// Writes the coil levels (1 lit, 0 dark) showing `state` into `levels`, one per address in
    /// `addresses` order. An aspect a head cannot show is drawn as its nearest lamp (walk on a
    /// vehicle head lights green), so the read-back shows what was driven and the safety monitor,
    /// which rejects such a command anyway, sees it.
    public func pattern(_ state: SignalState, flashPhaseOn: Bool, into levels: inout (UInt8, UInt8, UInt8)) {
        let flash: UInt8 = flashPhaseOn ? 1 : 0
        switch self {
        case .vehicle:
            switch state {
            case .red, .dontWalk: levels = (1, 0, 0)
            case .redAmber: levels = (1, 1, 0)
            case .green, .walk: levels = (0, 0, 1)
            case .amber: levels = (0, 1, 0)
            case .flashingAmber, .flashingDontWalk: levels = (0, flash, 0)
            case .flashingRed: levels = (flash, 0, 0)
            case .dark: levels = (0, 0, 0)
            }
        case .pedestrian:
            switch state {
            case .dontWalk, .red, .redAmber: levels = (1, 0, 0)
            case .walk, .green: levels = (0, 1, 0)
            case .flashingDontWalk, .flashingRed, .flashingAmber, .amber: levels = (flash, 0, 0)
            case .dark: levels = (0, 0, 0)
            }
        }
    }

    /// The steady aspect that coil levels read back from the field show. Combinations no aspect
    /// uses are reported as the most permissive lamp lit (green or walk first), so a mismatch is
    /// never read as safer than it is.
    public func state(shown levels: (UInt8, UInt8, UInt8)) -> SignalState {
        switch self {
        case .vehicle:
            let (red, amber, green) = (levels.0 != 0, levels.1 != 0, levels.2 != 0)
            if green { return .green }
            if red && amber { return .redAmber }
            if amber { return .amber }
            if red { return .red }
            return .dark
        case .pedestrian:
            let (dontWalk, walk) = (levels.0 != 0, levels.1 != 0)
            if walk { return .walk }
            if dontWalk { return .dontWalk }
            return .dark
        }
    }
}
