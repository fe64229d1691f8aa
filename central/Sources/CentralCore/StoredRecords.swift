/// One controller event as central stores it: the junction's numbering plus the Indiana code.
public struct StoredEvent: Sendable, Equatable, Codable {
    public var junctionID: UInt32
    /// The junction store's event record number; with `junctionID` it is the record's identity, so a resent event
    /// is recognised and stored once.
    public var recordNumber: UInt64
    /// When the event happened, milliseconds since the Unix epoch (junction clock).
    public var timeMilliseconds: Int64
    /// Indiana / Purdue event code.
    public var code: UInt16
    /// 1-based group or detector number, or the flash reason, as the code defines.
    public var parameter: Int32

    public init(junctionID: UInt32, recordNumber: UInt64, timeMilliseconds: Int64, code: UInt16, parameter: Int32) {
        self.junctionID = junctionID
        self.recordNumber = recordNumber
        self.timeMilliseconds = timeMilliseconds
        self.code = code
        self.parameter = parameter
    }
}

/// One detector's volume and occupancy over one bin; identity is junction and record number.
///
/// A daemon restart within a period leaves two bins with the same start, each covering its `observedSeconds`;
/// their volumes add up.
public struct StoredCount: Sendable, Equatable, Codable {
    public var junctionID: UInt32
    /// The junction store's count-bin record number (separate from event numbers).
    public var recordNumber: UInt64
    /// 1-based detector number in the junction's detector order.
    public var detector: Int
    /// Start of the bin, seconds since the Unix epoch (junction clock), a multiple of the period.
    public var startSeconds: Int64
    public var periodSeconds: Int
    /// Vehicles (actuations) counted in the bin.
    public var volume: Int
    /// Per mille of the observed time the detector was occupied (0...1000).
    public var occupancyPermille: Int
    /// Seconds of the bin the controller actually ran.
    public var observedSeconds: Int

    public init(
        junctionID: UInt32, recordNumber: UInt64, detector: Int, startSeconds: Int64, periodSeconds: Int, volume: Int,
        occupancyPermille: Int, observedSeconds: Int
    ) {
        self.junctionID = junctionID
        self.recordNumber = recordNumber
        self.detector = detector
        self.startSeconds = startSeconds
        self.periodSeconds = periodSeconds
        self.volume = volume
        self.occupancyPermille = occupancyPermille
        self.observedSeconds = observedSeconds
    }
}

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
    /// The highest boot id accepted from the junction, so a replay of an older run stays refused after a restart.
    public var bootID: UInt64

    public init(eventsThrough: UInt64 = 0, countsThrough: UInt64 = 0, bootID: UInt64 = 0) {
        self.eventsThrough = eventsThrough
        self.countsThrough = countsThrough
        self.bootID = bootID
    }
}
