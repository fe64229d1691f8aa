/// What one retention pass removed.
public struct RetentionOutcome: Sendable, Equatable {
    public var eventsRemoved = 0
    public var countBinsRemoved = 0
    /// Removed records central had not acknowledged: lost for good, and counted in status.
    public var unacknowledgedRemoved = 0

    public init() {}
}
