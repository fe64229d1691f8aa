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

/// How far central holds one junction's records without a gap, how its current store's records are numbered, and
/// the newest run it has heard from it.
///
/// Written in the same transaction as the records it covers, so after a crash it never claims more than is stored,
/// and a store replacement it records is never forgotten while records numbered after it are kept.
public struct JunctionCursor: Sendable, Equatable {
    /// The junction's event records.
    public var events: StreamCursor
    /// The junction's count-bin records.
    public var counts: StreamCursor
    /// The highest boot id accepted from the junction in a status report, so a replay of an older run stays refused
    /// after a restart even where no replay window was saved (`CentralStore.replayWindows`).
    public var bootID: UInt64

    public init(events: StreamCursor = StreamCursor(), counts: StreamCursor = StreamCursor(), bootID: UInt64 = 0) {
        self.events = events
        self.counts = counts
        self.bootID = bootID
    }
}

/// central's place in one of a junction's record streams (its events, or its count bins).
///
/// A junction numbers each stream 1, 2, 3… in its own store, and a replaced store (a new card, a reinstall) numbers
/// from 1 again. central stores the records of all of a junction's stores in one sequence: a record is stored as
/// `base` + the junction's number, and each new store's base lies above every number stored before it, so no record
/// of a later store is mistaken for one of an earlier store. `through` is in the junction's numbering, as the
/// junction is acknowledged.
public struct StreamCursor: Sendable, Equatable {
    /// Every record of the junction's current store up to this number (its own numbering) is held (0: none).
    public var through: UInt64
    /// What central adds to the current store's record numbers to store them (0 for a junction's first store).
    public var base: UInt64
    /// The latest junction boot seen holding at least `through` in its store (0: none), so a batch of that boot
    /// or an older one that holds less was sent before the mark moved and delivered late: not a replaced store.
    public var holdingBootID: UInt64

    public init(through: UInt64 = 0, base: UInt64 = 0, holdingBootID: UInt64 = 0) {
        self.through = through
        self.base = base
        self.holdingBootID = holdingBootID
    }
}

/// One of a junction's two numbered record streams.
public enum RecordStream: Sendable {
    case events
    case counts
}
