import Wire

/// The ingest thread's private bookkeeping for one junction: replay window, record marks and poll timing.
struct JunctionPeer {
    /// One record stream (events or count bins) as received, including records not yet committed.
    struct Stream {
        /// Wire's rules: which records are new, and the contiguous mark.
        var intake: RecordIntake
        /// A poll answer said more records wait: ask again at the next service round.
        var more = false
        /// When the mark last moved, so central polls only when the junction's own pushes are not getting through.
        var lastProgressMilliseconds: Int64 = 0
        var lastPollMilliseconds: Int64 = 0
        /// The latest junction boot whose batches showed its store holding at least the mark (0: none since central
        /// started). A lower `stored_through` from this boot or an earlier one is a datagram delivered late, not a
        /// replaced store.
        var holdingBootID: UInt64 = 0
    }

    let id: UInt32
    let key: WireKey
    let configuredAddress: SocketAddress?
    /// The junction's groups and detectors from the city file, which its records are checked against; nil: not checked.
    let layout: JunctionLayout?
    var window: ReplayWindow
    /// The window accepted a datagram since the last successful commit (the slot is then in `CentralIngest`'s list
    /// of windows to save once).
    var windowUnsaved = false
    /// Central's datagrams to this junction, numbered in central's boot.
    var sealer: DatagramSealer
    /// Where the junction's datagrams come from; answers and polls go there.
    var address: SocketAddress?
    var events: Stream
    var counts: Stream
    /// The highest boot id accepted, including one not yet committed.
    var bootID: UInt64
    /// Contiguous marks of what is committed: the only marks ever acknowledged.
    var committed: JunctionCursor
    /// The junction's own marks from its newest status report.
    var junctionEventsStored: UInt64 = 0
    var junctionCountsStored: UInt64 = 0
    var junctionEventsAcked: UInt64 = 0
    var junctionCountsAcked: UInt64 = 0
    var lastReportMilliseconds: Int64 = 0
    /// When central last sent this junction an ack (for the keep-alive); 0 before the first.
    var lastAckMilliseconds: Int64 = 0
    /// An ack is waiting for the next service round (the slot is then in `CentralIngest`'s due list once).
    var ackDue = false
    var lastStatusPollMilliseconds: Int64 = 0
    /// The first-contact poll for the last day's count bins was sent (the chart fills before the backlog arrives).
    var countsBackfillAsked = false

    /// A peer resuming from what the store kept: `cursor`'s marks and `window`, the replay window as last committed.
    init(entry: JunctionEntry, centralID: UInt32, centralBootID: UInt64, cursor: JunctionCursor, window: ReplayWindow) {
        id = entry.id
        key = entry.key
        configuredAddress = entry.pollAddress
        layout = entry.layout
        self.window = window
        sealer = DatagramSealer(junctionId: entry.id, senderId: centralID, bootId: centralBootID, key: entry.key)
        events = Stream(intake: RecordIntake(through: cursor.eventsThrough))
        counts = Stream(intake: RecordIntake(through: cursor.countsThrough))
        bootID = cursor.bootID
        committed = cursor
    }

    /// The marks as received, the cursor the next commit writes.
    var received: JunctionCursor {
        JunctionCursor(eventsThrough: events.intake.through, countsThrough: counts.intake.through, bootID: bootID)
    }

    /// Drops what was received since the last commit (the commit failed): the junction resends what central never
    /// acknowledged.
    mutating func forgetUncommitted() {
        events.intake = RecordIntake(through: committed.eventsThrough)
        counts.intake = RecordIntake(through: committed.countsThrough)
        bootID = committed.bootID
    }

    /// Where to send a poll or an ack: where the junction's datagrams come from (the protocol answers there), else
    /// the configured address before the first datagram.
    var destination: SocketAddress? { address ?? configuredAddress }
}
