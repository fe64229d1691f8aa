/// The `events` reply and each `events` stream line: a page of journal events, oldest first.
public struct EventsReport: Codable, Sendable, Equatable {
    /// The events, oldest first, at most `DiagnosticProtocol.maxEventsPerReply`.
    public var events: [EventRecord]
    /// The newest sequence number in the journal when the page was read; ask `since` it next.
    public var lastSequence: UInt64
    /// Events the journal has overwritten since the daemon started.
    public var overwritten: UInt64
    /// Events after the requested `since` that were overwritten before this page: a visible gap.
    public var missed: UInt64

    public init(events: [EventRecord], lastSequence: UInt64, overwritten: UInt64, missed: UInt64) {
        self.events = events
        self.lastSequence = lastSequence
        self.overwritten = overwritten
        self.missed = missed
    }
}
