import SignalCore

/// A fault the simulated junction can be told to show, for tests and demos of the monitor and
/// the detector diagnostics. Traffic keeps flowing underneath; only what is reported changes.
public enum SimulatedFault: Sendable, Equatable {
    /// The group's read-back shows `state` whatever is commanded (a welded relay, a failed sensor).
    case readBackStuck(group: Int, state: SignalState)
    /// No read-back can be confirmed: `readBack(into:)` returns false (a lost output module).
    case readBackLost
    /// The detector reports presence continuously and no further actuations (a shorted loop).
    case detectorStuckOn(detector: Int)
    /// The detector's presence toggles every `periodTenths`, one actuation per rise (a loose connection).
    case detectorChattering(detector: Int, periodTenths: Tenths)
    /// The detector reports nothing, though traffic passes (an open loop).
    case detectorSilent(detector: Int)
    /// The detector cannot be read: it is reported with `communicationFault` (a dead detector card).
    case detectorCommunicationLost(detector: Int)
}
