/// What runs the junction's stages: a fixed-time plan by name, vehicle-actuated control, or
/// actuated control with the junction's `[adaptive]` strategy proposing green times inside its
/// bounds. The schedule and a technician both choose with it; the controller applies a choice at
/// the next safe point only.
///
/// Only the junction's one `[adaptive]` section is known: `adaptive` switches its strategy on
/// and `actuated` switches it off; there are no named adaptive variants.
public enum PlanSelection: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The fixed-time plan (`[[plans]]`) of this name.
    case fixedTime(String)
    /// Vehicle-actuated control, the adaptive strategy (if any) paused.
    case actuated
    /// Actuated control with the `[adaptive]` strategy; the same as `actuated` when there is none.
    case adaptive

    /// The plan's name, as written in a schedule: the fixed-time plan's name, `actuated` or `adaptive`.
    public var description: String {
        switch self {
        case .fixedTime(let name): return name
        case .actuated: return "actuated"
        case .adaptive: return "adaptive"
        }
    }

    /// The selection a schedule entry names: `actuated`, `adaptive`, or a fixed-time plan's name.
    public init(named name: String) {
        switch name {
        case "actuated": self = .actuated
        case "adaptive": self = .adaptive
        default: self = .fixedTime(name)
        }
    }
}

/// Who chose the plan the controller runs.
public enum PlanSource: String, Sendable, Equatable, CaseIterable {
    /// Nobody yet: the free operation the junction starts in (adaptive when configured).
    case startup
    /// The time-of-day schedule.
    case schedule
    /// A technician's `plan NAME`, held until `plan auto` releases it.
    case override
}
