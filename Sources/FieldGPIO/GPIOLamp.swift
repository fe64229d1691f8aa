import SignalCore

/// One lamp of a signal head, each wired to its own output line.
///
/// Vehicle and turn-arrow heads have red, amber and green; pedestrian heads have don't walk and
/// walk. Flashing aspects flash the steady lamp (see `LampPattern`).
public enum GPIOLamp: Int, Sendable, CaseIterable, CustomStringConvertible {
    case red
    case amber
    case green
    case dontWalk
    case walk

    /// The lamps a head of `kind` has, in this order.
    public static func lamps(of kind: SignalGroupKind) -> [GPIOLamp] {
        switch kind {
        case .vehicle, .turnArrow: return [.red, .amber, .green]
        case .pedestrian: return [.dontWalk, .walk]
        }
    }

    /// The key used in junction files and messages: `red`, `amber`, `green`, `dont_walk`, `walk`.
    public var description: String {
        switch self {
        case .red: return "red"
        case .amber: return "amber"
        case .green: return "green"
        case .dontWalk: return "dont_walk"
        case .walk: return "walk"
        }
    }
}
