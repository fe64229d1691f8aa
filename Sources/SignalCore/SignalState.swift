/// The aspect a signal group shows in one tick.
///
/// Vehicle and turn-arrow groups use the vehicle aspects, pedestrian groups the
/// walk aspects; `flashingAmber`, `flashingRed` and `dark` serve both in flash.
public enum SignalState: UInt8, Sendable, CaseIterable {
    case red
    case redAmber
    case green
    case amber
    case dontWalk
    case walk
    case flashingDontWalk
    case flashingAmber
    case flashingRed
    case dark

    /// True for the aspects that let traffic of this group enter or still be in the conflict area:
    /// green, amber, red+amber, walk and flashing don't walk. Two conflicting groups may never
    /// both be open.
    public var isOpen: Bool {
        switch self {
        case .green, .amber, .redAmber, .walk, .flashingDontWalk: return true
        case .red, .dontWalk, .flashingAmber, .flashingRed, .dark: return false
        }
    }

    /// True for the right-of-way aspects that start and end a "green" for timing purposes.
    public var isGreen: Bool { self == .green || self == .walk }

    /// True for the aspects shown during clearance after green.
    public var isClearance: Bool { self == .amber || self == .flashingDontWalk }

    /// True for the closed, steady aspects: red or don't walk.
    public var isStop: Bool { self == .red || self == .dontWalk }

    /// True for the aspects of flash mode.
    public var isFlash: Bool { self == .flashingAmber || self == .flashingRed || self == .dark }

    /// A short tag for logs and terminal views.
    public var shortName: String {
        switch self {
        case .red: return "R"
        case .redAmber: return "RA"
        case .green: return "G"
        case .amber: return "A"
        case .dontWalk: return "DW"
        case .walk: return "W"
        case .flashingDontWalk: return "FDW"
        case .flashingAmber: return "FA"
        case .flashingRed: return "FR"
        case .dark: return "-"
        }
    }
}
