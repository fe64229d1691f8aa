/// An adaptive layer that proposes how long greens run. It never commands lamps.
///
/// The controller calls `observe` on every tick and `propose` while a stage rests with another
/// stage waiting. Whatever a strategy answers, every minimum green, clearance, intergreen and the
/// safety monitor stay in force, a green never runs past its configured max green because of a
/// strategy, and `maxGreen(for:)` can only shorten the configured max (the controller clamps it to
/// `minGreen...maxGreen`). Strategies are deterministic and allocate nothing per tick.
public protocol GreenTimingStrategy: AnyObject {
    /// A short name for status and logs, such as `advance`.
    var name: String { get }

    /// Takes this tick's accepted detector inputs and the lamps as the last step left them.
    ///
    /// `presence` and `actuations` are per detector, already filtered by the detector diagnostics
    /// (a detector in communication fault reads as empty); `signals` is per group; `mode` tells
    /// whether stages are running.
    func observe(tick: Tenths, presence: [Bool], actuations: [Int], signals: [SignalState], running: Bool)

    /// Whether the resting stage should end now in favour of `next` (both indices into
    /// `Junction.stages`); `greenSince` holds the tick each group's green began.
    ///
    /// Called only once every open group has had its minimum, never under a fixed-time plan, a
    /// hold or a manual advance.
    func propose(tick: Tenths, stage: Int, next: Int, greenSince: [Tenths]) -> GreenProposal

    /// The sequence position to serve after `current`, or nil to keep the cyclic order
    /// (`cyclicNext`, the first later position with demand). A position without demand
    /// (`hasDemand` false) is ignored. A strategy that answers must itself see that every
    /// waiting group is served in bounded time.
    func preferredNext(current: Int, cyclicNext: Int, hasDemand: (Int) -> Bool) -> Int?

    /// The max green group `g` may have now, in tenths; the controller clamps it to the group's
    /// configured `minGreen...maxGreen`.
    func maxGreen(for g: Int) -> Tenths

    /// Writes the strategy's state into `status` in place (allocating only when sizes change).
    func writeStatus(into status: inout AdaptiveStatus)

    /// Records what the controller did with a proposal for group `g`, whose green began at
    /// `greenStart`, so that status shows it; true when it is new in this green and worth logging.
    func recordDecision(group g: Int, decision: AdaptiveDecision, greenStart: Tenths) -> Bool

    /// Hands over, one at a time, the decisions the strategy took by itself during `observe`
    /// (such as a re-timed split) so the controller can log them; nil when none is left.
    func nextDecision() -> (group: Int, decision: AdaptiveDecision)?
}

/// A strategy's answer for the resting stage.
public enum GreenProposal: Sendable, Equatable {
    /// Leave it to the actuated rules (gap-out, max-out).
    case noOpinion
    /// Keep the stage even if the actuated rule would gap out; max-out still ends it.
    case extend(AdaptiveReason)
    /// End the stage now even if the actuated rule would extend it.
    case end(AdaptiveReason)
}
