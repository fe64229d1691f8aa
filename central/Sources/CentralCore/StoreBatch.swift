import Wire

/// Records waiting for the next commit; the ingest loop fills one and the store writes it in one transaction.
///
/// Events and count bins are Wire's records numbered in central's sequence for the junction (its own number plus
/// its store's base, `StreamCursor`); with the junction's id, that number is their identity, so a resent record is
/// recognised and stored once.
public struct StoreBatch: Sendable {
    public var reports: [StoredReport] = []
    public var events: [(junctionID: UInt32, record: EventRecord)] = []
    public var counts: [(junctionID: UInt32, record: CountBin)] = []
    /// Cursors that moved since the last commit, written with the records they cover.
    public var cursors: [UInt32: JunctionCursor] = [:]
    /// Replay windows that accepted a datagram since the last commit, saved so that after a restart a replay of a
    /// datagram accepted before it is still refused.
    public var windows: [(junctionID: UInt32, window: ReplayWindow)] = []

    public init() {}

    public var isEmpty: Bool {
        reports.isEmpty && events.isEmpty && counts.isEmpty && cursors.isEmpty && windows.isEmpty
    }
    public var recordCount: Int { reports.count + events.count + counts.count }
    /// Every junction with an event, a count bin or a cursor in the batch.
    public var junctionsWithRecords: Set<UInt32> {
        Set(cursors.keys).union(events.lazy.map(\.junctionID)).union(counts.lazy.map(\.junctionID))
    }

    /// Empties the batch but keeps its arrays' storage for the next one.
    public mutating func removeAll() {
        reports.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        cursors.removeAll(keepingCapacity: true)
        windows.removeAll(keepingCapacity: true)
    }
}

/// What one commit wrote, and what it recognised as already stored (a resend after an outage).
public struct StoreOutcome: Sendable, Equatable {
    public var reportsStored = 0
    public var eventsStored = 0
    public var eventsDuplicate = 0
    public var countsStored = 0
    public var countsDuplicate = 0

    public init() {}
}
