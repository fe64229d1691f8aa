/// The junction's side of one record stream (its events, or its count bins; docs/protocol.md): what central has
/// acknowledged, which records to push next, and which pushes are resends.
///
/// Go-back-N: records are pushed in ascending order after `sentThrough`, never further than a window beyond the
/// acknowledged mark; when acks stall, `rewind` starts again from the mark. The acknowledged mark only rises and
/// never passes the records stored, whatever an ack says. Pure: the caller owns the clock and the store.
public struct RecordForwarder: Sendable, Equatable {
    /// Every record up to this number is held by central.
    public private(set) var acknowledged: UInt64
    /// The newest record pushed since the last rewind; the next push starts after it.
    public private(set) var sentThrough: UInt64
    /// The newest record ever pushed, so a resend is told from a first send.
    public private(set) var highestSent: UInt64 = 0

    /// A forwarder resuming from the acknowledged mark the store persisted.
    public init(acknowledged: UInt64) {
        self.acknowledged = acknowledged
        sentThrough = acknowledged
    }

    /// Records pushed and not yet acknowledged.
    public var outstanding: Bool { sentThrough > acknowledged }

    /// Takes central's cumulative acknowledgement; `storedThrough` is the newest record committed, which no ack can
    /// raise the mark past. Returns true when the mark rose.
    public mutating func acknowledge(through: UInt64, storedThrough: UInt64) -> Bool {
        let raised = max(acknowledged, min(through, storedThrough))
        defer { acknowledged = raised }
        sentThrough = max(sentThrough, raised)
        return raised > acknowledged
    }

    /// Pushes again from the acknowledged mark: the caller saw no ack move for too long.
    public mutating func rewind() {
        sentThrough = acknowledged
    }

    /// How many records to read after `sentThrough` for the next push: at most `budget`, never past
    /// `storedThrough`, never more than `window` records beyond the acknowledged mark. 0 when none is due.
    public func due(storedThrough: UInt64, window: UInt64, budget: Int) -> Int {
        let end = windowEnd(storedThrough: storedThrough, window: window)
        guard budget > 0, sentThrough < end else { return 0 }
        return Int(min(end - sentThrough, UInt64(budget)))
    }

    /// Notes that the store held nothing of what was due (retention removed it): the push moves on to where the
    /// window ends, and central learns the records are gone from the next batch's `firstAvailable`.
    public mutating func skipRetired(storedThrough: UInt64, window: UInt64) {
        sentThrough = max(sentThrough, windowEnd(storedThrough: storedThrough, window: window))
    }

    /// Notes one pushed batch (record numbers ascending, above `sentThrough`). Returns how many of its records
    /// had been pushed before.
    public mutating func sent<Record: WireRecord>(_ records: [Record]) -> Int {
        guard let last = records.last else { return 0 }
        let resent = records.reduce(0) { $0 + ($1.recordNumber <= highestSent ? 1 : 0) }
        sentThrough = last.recordNumber
        highestSent = max(highestSent, sentThrough)
        return resent
    }

    private func windowEnd(storedThrough: UInt64, window: UInt64) -> UInt64 {
        min(storedThrough, acknowledged + window)
    }
}
