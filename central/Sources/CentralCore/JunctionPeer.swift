import Wire

/// The ingest thread's private bookkeeping for one junction: replay window, record marks and poll timing.
struct JunctionPeer {
    /// The largest record number a junction's store is taken to give: 2^48, about 9,000 years at 1,000 records a
    /// second. Larger ones are corrupted or forged, and would push central's numbering (`Stream.base`) toward the
    /// 64-bit limit in a few steps.
    static let largestRecordNumber: UInt64 = 1 << 48
    /// The largest number central stores a record under: the store's record column is a signed 64-bit integer.
    static let largestStoredNumber = UInt64(Int64.max)

    /// One record stream (events or count bins) as received, including records not yet committed.
    struct Stream {
        /// Wire's rules for the junction's current store: which records are new, and the contiguous mark.
        var intake: RecordIntake
        /// What is added to the current store's record numbers to store them (`StreamCursor.base`).
        var base: UInt64
        /// The latest junction boot whose datagrams showed its store holding at least the mark (0: none). A lower
        /// `stored_through` from this boot or an earlier one is a datagram delivered late, not a replaced store.
        var holdingBootID: UInt64
        /// The highest number given to a record in this run, or the committed mark's: with the store's highest
        /// row, what a new store's base must lie above (rows not yet committed are not in the store).
        var highestNumbered: UInt64
        /// A poll answer said more records wait: ask again at the next service round.
        var more = false
        /// When the mark last moved, so central polls only when the junction's own pushes are not getting through.
        var lastProgressMilliseconds: Int64 = 0
        var lastPollMilliseconds: Int64 = 0

        /// A stream resuming from a committed cursor.
        init(_ cursor: StreamCursor) {
            intake = RecordIntake(through: cursor.through)
            base = cursor.base
            holdingBootID = cursor.holdingBootID
            // Wraps rather than traps on a junction's absurd numbers, as the record numbers themselves do.
            highestNumbered = cursor.base &+ cursor.through
        }

        /// Drops what was received since `committed` (the commit after it failed), keeping the poll timing. A new
        /// store started since stays started, with nothing of it received: it is still the junction's store, and
        /// one that has grown past the old mark by the time commits succeed again could not be told apart any more.
        /// Its base is saved with the first commit that holds records numbered after it.
        mutating func forgetUncommitted(since committed: StreamCursor) {
            guard committed.base == base else {
                intake = RecordIntake()
                return
            }
            let timing = (more, lastProgressMilliseconds, lastPollMilliseconds)
            self = Stream(committed)
            (more, lastProgressMilliseconds, lastPollMilliseconds) = timing
        }

        /// The stream as received: what the next commit writes.
        var cursor: StreamCursor {
            StreamCursor(through: intake.through, base: base, holdingBootID: holdingBootID)
        }

        /// Whether a junction store that holds records through `storedThrough`, seen in a datagram of `bootID`, is
        /// not the store central's mark counts in. A store never numbers backwards, so one holding less than the
        /// mark was replaced (a new card, a reinstall) and numbers from 1 again. Replacing the store restarts
        /// junctiond, so only a later boot than the one last seen holding the mark can show it: a datagram of that
        /// boot sent before the mark moved and delivered late (a resend overtaken on the way) shows nothing.
        func isReplaced(byStoreThrough storedThrough: UInt64, bootID: UInt64) -> Bool {
            storedThrough < intake.through && bootID > holdingBootID
        }

        /// Starts counting a new junction store from its record 1, numbered above `highestStored` (the store's
        /// highest row of the stream) and above every number given in this run.
        mutating func startStore(above highestStored: UInt64, bootID: UInt64) {
            base = max(highestStored, highestNumbered)
            highestNumbered = base
            intake = RecordIntake()
            holdingBootID = bootID
        }

        /// central's number for the current store's record `recordNumber`, noted as given.
        mutating func number(_ recordNumber: UInt64) -> UInt64 {
            let number = base &+ recordNumber
            highestNumbered = max(highestNumbered, number)
            return number
        }

        /// What central may acknowledge of the stream, given its last committed cursor and the junction's newest
        /// status report (`junctionStored` from `bootID`): the committed mark, or 0 while that mark counts in an
        /// earlier store than the junction's (a new store not yet committed, or a report showing one before its
        /// records arrive). The junction takes an ack as far as it stores, so the old store's mark would tell the
        /// new store that central holds records it never received.
        func acknowledgeable(committed: StreamCursor, junctionStored: UInt64, bootID: UInt64) -> UInt64 {
            guard committed.base == base, !isReplaced(byStoreThrough: junctionStored, bootID: bootID) else { return 0 }
            return committed.through
        }
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
        events = Stream(cursor.events)
        counts = Stream(cursor.counts)
        bootID = cursor.bootID
        committed = cursor
    }

    /// The streams as received, the cursor the next commit writes.
    var received: JunctionCursor {
        JunctionCursor(events: events.cursor, counts: counts.cursor, bootID: bootID)
    }

    /// The stream of `kind`, for code that handles either.
    static func stream(_ kind: RecordStream) -> WritableKeyPath<JunctionPeer, Stream> {
        switch kind {
        case .events: \.events
        case .counts: \.counts
        }
    }

    /// The acknowledgement to send: each stream's committed mark where the junction's current store is the one it
    /// counts in (`Stream.acknowledgeable`).
    var acknowledgement: Acknowledgement {
        Acknowledgement(
            eventsThrough: events.acknowledgeable(
                committed: committed.events, junctionStored: junctionEventsStored, bootID: bootID),
            countsThrough: counts.acknowledgeable(
                committed: committed.counts, junctionStored: junctionCountsStored, bootID: bootID))
    }

    /// Drops what was received since the last commit (the commit failed): the junction resends what central never
    /// acknowledged.
    mutating func forgetUncommitted() {
        events.forgetUncommitted(since: committed.events)
        counts.forgetUncommitted(since: committed.counts)
        bootID = committed.bootID
    }

    /// Where to send a poll or an ack: where the junction's datagrams come from (the protocol answers there), else
    /// the configured address before the first datagram.
    var destination: SocketAddress? { address ?? configuredAddress }
}
