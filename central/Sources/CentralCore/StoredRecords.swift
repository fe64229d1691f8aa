import Wire

/// The part of one authenticated status report central keeps as history.
public struct StoredReport: Sendable, Equatable {
    public var junctionID: UInt32
    public var bootID: UInt64
    public var sequence: UInt64
    /// Arrival at central, milliseconds since the Unix epoch (central clock).
    public var receivedMilliseconds: Int64
    /// The five-way mode byte as the wire carries it (0 startup, 1 normal, 2 flash, 3 manual, 4 fault).
    public var mode: UInt8
    /// Stage index, or nil when none runs.
    public var stage: Int?
    /// Alarm bits as the wire carries them.
    public var alarms: UInt32

    public init(
        junctionID: UInt32, bootID: UInt64, sequence: UInt64, receivedMilliseconds: Int64, mode: UInt8, stage: Int?,
        alarms: UInt32
    ) {
        self.junctionID = junctionID
        self.bootID = bootID
        self.sequence = sequence
        self.receivedMilliseconds = receivedMilliseconds
        self.mode = mode
        self.stage = stage
        self.alarms = alarms
    }
}

/// How far central holds one junction's records without a gap, and the newest run it has heard from it.
///
/// Written in the same transaction as the records it covers, so after a crash it never claims more than is stored.
public struct JunctionCursor: Sendable, Equatable {
    /// Every event record up to this number is held (0: none).
    public var eventsThrough: UInt64
    /// Every count-bin record up to this number is held (0: none).
    public var countsThrough: UInt64
    /// The highest boot id accepted from the junction in a status report, so a replay of an older run stays refused
    /// after a restart even where no replay window was saved (`CentralStore.replayWindows`).
    public var bootID: UInt64

    public init(eventsThrough: UInt64 = 0, countsThrough: UInt64 = 0, bootID: UInt64 = 0) {
        self.eventsThrough = eventsThrough
        self.countsThrough = countsThrough
        self.bootID = bootID
    }
}
