/// Why an adaptive strategy stretched, cut or re-timed a green; shown in status and logs.
public enum AdaptiveReason: String, Sendable, CaseIterable {
    case none
    /// The queue behind the stop line is still discharging at close to saturation flow.
    case queueDischarging = "queue-discharging"
    /// Vehicles seen at the advance loops will reach the stop line within the horizon.
    case platoonArriving = "platoon-arriving"
    /// Vehicles waiting on red outweigh the few still arriving on green.
    case waitingDemand = "waiting-demand"
    /// Nothing is left to serve on green: no queue and no arrivals within the horizon.
    case queueCleared = "queue-cleared"
    /// The green was used to the target degree of saturation or more, so its split grew.
    case saturationHigh = "saturation-high"
    /// The green was used well below the target degree of saturation, so its split shrank.
    case saturationLow = "saturation-low"
}

/// What a strategy last did to one group's green.
public struct AdaptiveDecision: Sendable, Equatable {
    /// What changed.
    public enum Kind: String, Sendable, CaseIterable {
        case none
        /// Held past the gap-out the actuated rule would have taken.
        case extended
        /// Ended before the actuated rule would have ended it.
        case cut
        /// The group's max green (its split) was raised for the coming cycles.
        case maxRaised = "max-raised"
        /// The group's max green (its split) was lowered for the coming cycles.
        case maxLowered = "max-lowered"
    }

    public var kind: Kind
    public var reason: AdaptiveReason
    /// When it happened.
    public var tick: Tenths

    public init(kind: Kind = .none, reason: AdaptiveReason = .none, tick: Tenths = 0) {
        self.kind = kind
        self.reason = reason
        self.tick = tick
    }

    /// A short phrase for status lines: `cut (waiting-demand) at 1234.5 s`.
    public var summary: String {
        guard kind != .none else { return "-" }
        return "\(kind.rawValue) (\(reason.rawValue)) at \(tick / 10).\(tick % 10) s"
    }
}

extension AdaptiveDecision.Kind {
    /// The vendor-range event code that logs this kind of decision (parameter: 1-based group).
    public var eventCode: EventCode? {
        switch self {
        case .none: return nil
        case .extended: return .adaptiveGreenExtended
        case .cut: return .adaptiveGreenCut
        case .maxRaised: return .adaptiveMaxGreenRaised
        case .maxLowered: return .adaptiveMaxGreenLowered
        }
    }
}

extension Array where Element == AdaptiveDecision {
    /// Stores `decision` as group `g`'s last one, unless a decision of the same kind was already
    /// stored during the green that started at `greenStart`; true when stored, so that the
    /// controller logs each kind of decision at most once per green.
    mutating func record(group g: Int, _ decision: AdaptiveDecision, greenStart: Tenths) -> Bool {
        if self[g].kind == decision.kind && self[g].tick >= greenStart { return false }
        self[g] = decision
        return true
    }
}
