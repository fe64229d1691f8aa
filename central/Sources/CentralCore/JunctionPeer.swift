import Wire

/// The ingest thread's private bookkeeping for one junction: replay window, record marks and poll timing.
struct JunctionPeer {
    let id: UInt32
    let key: WireKey
    let configuredAddress: SocketAddress?
    var window: ReplayWindow
    /// Central's datagrams to this junction, numbered in central's boot.
    var sealer: DatagramSealer
    /// Where the junction's datagrams come from; answers and polls go there.
    var address: SocketAddress?
    /// Contiguous marks including records not yet committed.
    var received: JunctionCursor
    /// Contiguous marks of what is committed: the only marks ever acknowledged.
    var committed: JunctionCursor
    /// Records received above the contiguous marks (out of order, or after a gap that a poll will fill).
    var eventsAbove: Set<UInt64> = []
    var countsAbove: Set<UInt64> = []
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
    /// A poll answer said more records wait: ask again at the next service round.
    var eventsMore = false
    var countsMore = false
    /// When the held marks last moved, so central polls only when the junction's own pushes are not getting through.
    var lastEventProgressMilliseconds: Int64 = 0
    var lastCountProgressMilliseconds: Int64 = 0
    var lastEventPollMilliseconds: Int64 = 0
    var lastCountPollMilliseconds: Int64 = 0
    var lastStatusPollMilliseconds: Int64 = 0
    /// The first-contact poll for the last day's count bins was sent (the chart fills before the backlog arrives).
    var countsBackfillAsked = false

    init(entry: JunctionEntry, centralID: UInt32, centralBootID: UInt64, cursor: JunctionCursor) {
        id = entry.id
        key = entry.key
        configuredAddress = entry.pollAddress
        window = ReplayWindow(minimumBootId: cursor.bootID)
        sealer = DatagramSealer(junctionId: entry.id, senderId: centralID, bootId: centralBootID, key: entry.key)
        received = cursor
        committed = cursor
    }

    /// Where to send a poll or an ack: where the junction's datagrams come from (the protocol answers there), else
    /// the configured address before the first datagram.
    var destination: SocketAddress? { address ?? configuredAddress }
}
