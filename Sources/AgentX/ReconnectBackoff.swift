/// Exponential backoff between reconnection attempts: the first delay is `initialMilliseconds`,
/// each failure doubles it, and it never exceeds `maximumMilliseconds`. A success resets it.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The first delay, and the delay after `reset`.
    public let initialMilliseconds: Int
    /// The cap on any delay.
    public let maximumMilliseconds: Int
    /// The delay the next failure will wait.
    public private(set) var currentMilliseconds: Int

    /// A backoff from `initialMilliseconds` (at least 1) up to `maximumMilliseconds` (at least the initial).
    public init(initialMilliseconds: Int = 500, maximumMilliseconds: Int = 30_000) {
        self.initialMilliseconds = max(1, initialMilliseconds)
        self.maximumMilliseconds = max(self.initialMilliseconds, maximumMilliseconds)
        currentMilliseconds = self.initialMilliseconds
    }

    /// The delay to wait after a failure, in milliseconds; the following one will be twice as long, up to the cap.
    public mutating func nextDelayMilliseconds() -> Int {
        let delay = currentMilliseconds
        currentMilliseconds = min(maximumMilliseconds, currentMilliseconds * 2)
        return delay
    }

    /// Back to the initial delay, after a session opened.
    public mutating func reset() { currentMilliseconds = initialMilliseconds }
}
