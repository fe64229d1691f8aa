import Wire

/// An event on its way into the store: Wire's record (its number is assigned at commit) and where it came from,
/// the daemon run and its place in that run's event journal.
///
/// The store keeps the origin beside the record so that a stored event can be traced back to the journal
/// (`junctionctl events` shows the same sequence numbers); it does not travel upstream.
public struct JournalledEvent: Sendable, Equatable {
    public var record: EventRecord
    /// The daemon run that emitted it.
    public var bootId: UInt64
    /// Its number in that run's event journal (`EventJournal.Entry.sequence`).
    public var journalSequence: UInt64

    public init(record: EventRecord, bootId: UInt64, journalSequence: UInt64) {
        self.record = record
        self.bootId = bootId
        self.journalSequence = journalSequence
    }
}
