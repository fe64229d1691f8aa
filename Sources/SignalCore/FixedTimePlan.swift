/// A fixed-time plan: the stage sequence runs with set splits in a set cycle.
///
/// `splits[i]` is the share of the cycle, in tenths, from the start of stage
/// `sequence[i]`'s interstage to the start of the next one; green ends (force-off)
/// at the end of that split less the interstage that follows. Every group is on max
/// recall while the plan runs, so detectors do not change the timing.
public struct FixedTimePlan: Sendable, Equatable {
    public var name: String
    public var cycle: Tenths
    public var offset: Tenths
    /// One split per entry of the junction's stage sequence.
    public var splits: [Tenths]

    public init(name: String, cycle: Tenths, offset: Tenths, splits: [Tenths]) {
        self.name = name
        self.cycle = cycle
        self.offset = offset
        self.splits = splits
    }
}
