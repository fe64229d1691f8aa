/// A fault injected into one detector's input for a while.
enum DetectorFault: CaseIterable {
    /// Presence held on (a shorted loop, a parked vehicle).
    case stuckOn
    /// Presence toggling every few ticks with bursts of edges (a loose connection).
    case chattering
    /// No output at all (an open loop, a dead card).
    case silent
    /// The backend cannot read the input: the snapshot flags it and carries garbage.
    case communication
}
