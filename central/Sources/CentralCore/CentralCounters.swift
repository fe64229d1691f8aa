/// What central counts about its own work, beside the drops by reason; shown on the dashboard and in `/api/status`.
public struct CentralCounters: Sendable, Equatable, Codable {
    /// Datagrams taken off the socket, before any check.
    public var datagramsReceived: UInt64 = 0
    /// Datagrams the kernel dropped before central could take them: its receive queue was full (a flood, or a burst
    /// longer than the queue holds). Read from the socket every service pass.
    public var datagramsDroppedByKernel: UInt64 = 0
    /// Datagrams that passed every check (authenticated, fresh, well formed).
    public var datagramsAccepted: UInt64 = 0
    public var statusReports: UInt64 = 0
    public var eventBatches: UInt64 = 0
    public var countBatches: UInt64 = 0
    /// Status reports written to the store's history.
    public var reportsStored: UInt64 = 0
    /// Status reports lost because their commit failed (disk full, I/O error).
    public var reportsNotStored: UInt64 = 0
    public var eventsStored: UInt64 = 0
    public var countsStored: UInt64 = 0
    /// Records that arrived again after they were already held (store-and-forward resends, overlapping polls).
    public var duplicateRecords: UInt64 = 0
    /// Junction stores that central saw replaced (a new card, a reinstall, a deleted store: numbering from 1 again
    /// below central's mark), counted per stream: a junction's events and its count bins each count once when their
    /// first batch from the new store arrives, so one replaced store usually counts 2. The new store's records are
    /// stored after the old store's (`StreamCursor`); not 0 tells the operator a junction's store was replaced.
    public var storesReplaced: UInt64 = 0
    /// Records the junction's retention removed before central got them (seen from a batch's first-available mark).
    public var recordsLostAtJunction: UInt64 = 0
    /// Events and count bins stamped more than `DetectorActivity.aheadToleranceMilliseconds` ahead of central's clock
    /// when they arrived: the junction's clock was wrong (stepped ahead before NTP set it, or a corrupted record).
    /// Stored as sent, since they are the junction's numbered records, but left out of the congestion indicator and
    /// of `counts?hours=` answers. Not 0 means a junction's clock needs attention.
    public var recordsStampedAhead: UInt64 = 0
    /// Events and count bins naming a group or detector that the junction's layout (its file in the city config)
    /// does not have: the city's copy of the junction file is out of date, or the junction sends wrong numbers.
    /// Stored as sent (a detector added at the junction before the city file is real data that would otherwise be
    /// lost once acknowledged). Junctions without a layout are not checked.
    public var recordsBeyondLayout: UInt64 = 0
    /// Records numbered beyond `JunctionPeer.largestRecordNumber`, or whose number in central's sequence would not
    /// fit the store's 64-bit signed column: no junction's store numbers so far (2^48 records), so a corrupted or
    /// forged record. Neither stored nor acknowledged; once such a number moved the base of the next store past
    /// 2^64 and wrapped it onto stored rows, whose records were then thrown away as duplicates and acknowledged.
    public var recordsOutOfRange: UInt64 = 0
    public var commits: UInt64 = 0
    /// Failed commits; their records are not acknowledged, so the junctions send them again.
    public var storeErrors: UInt64 = 0
    /// Failed commits because the disk was full.
    public var storeFull: UInt64 = 0
    public var pollsSent: UInt64 = 0
    public var acksSent: UInt64 = 0
    public var sendErrors: UInt64 = 0
    /// Records received beyond a gap were too many to track; the junction resends them.
    public var outOfOrderOverflow: UInt64 = 0

    public init() {}
}
