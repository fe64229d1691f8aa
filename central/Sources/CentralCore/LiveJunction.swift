import Wire

/// What central knows right now about one configured junction; the dashboard draws this.
public struct LiveJunction: Sendable {
    public let id: UInt32
    public let name: String
    /// Names for groups, stages and detectors; nil when the city config names no junction file.
    public let layout: JunctionLayout?
    /// Where the city map draws it; nil leaves it off the map.
    public let position: MapPosition?
    /// Its loops' recent presence changes, for the congestion indicator.
    public var activity: DetectorActivity
    public let congestionThresholds: CongestionThresholds
    /// The newest authenticated status report, or nil before the first.
    public var status: StatusReport?
    /// The run of the junction the status belongs to.
    public var bootID: UInt64 = 0
    /// Central's clock when the newest report arrived, Unix milliseconds; 0 before the first.
    public var lastReportMilliseconds: Int64 = 0
    /// The junction's own clock in that report's header, Unix milliseconds.
    public var junctionTimeMilliseconds: UInt64 = 0
    /// Where the junction's datagrams come from.
    public var address: SocketAddress?
    public var reportsAccepted: UInt64 = 0
    /// Central's committed marks: every record up to these is stored.
    public var eventsHeldThrough: UInt64 = 0
    public var countsHeldThrough: UInt64 = 0
    /// Bumped by every change, so a watcher can send only what changed.
    public var version: UInt64 = 0

    public init(entry: JunctionEntry, congestion: CongestionThresholds = CongestionThresholds()) {
        id = entry.id
        name = entry.name
        layout = entry.layout
        position = entry.position
        congestionThresholds = congestion
        activity = DetectorActivity(windowMilliseconds: congestion.windowMilliseconds)
    }

    /// How congested the junction is now: its worst loop's occupancy over the window ending at its newest report
    /// (or its newest detector event, if later).
    public var congestion: CongestionLevel {
        let newestEvent = activity.newestMilliseconds
        let end = max(Int64(clamping: junctionTimeMilliseconds), newestEvent ?? 0)
        return CongestionLevel(
            occupancy: newestEvent == nil ? [:] : activity.occupancyPermille(endingAt: end), layout: layout,
            thresholds: congestionThresholds, asOfMilliseconds: newestEvent == nil ? nil : end)
    }
}
