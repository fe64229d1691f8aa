/// One controller event as the store keeps it.
public struct StoredEvent: Sendable, Equatable {
    /// The store's number: assigned at commit, never reused (0 before it is stored).
    public var recordNumber: UInt64
    /// The daemon run that emitted it.
    public var bootId: UInt64
    /// Its number in that run's event journal (`EventJournal.Entry.sequence`).
    public var journalSequence: UInt64
    /// When it happened, in Unix milliseconds.
    public var timeMilliseconds: UInt64
    /// Indiana / Purdue event code.
    public var code: UInt16
    /// The event's parameter (1-based group or detector number, or the flash reason).
    public var parameter: UInt16

    public init(
        recordNumber: UInt64 = 0, bootId: UInt64, journalSequence: UInt64, timeMilliseconds: UInt64, code: UInt16,
        parameter: UInt16
    ) {
        self.recordNumber = recordNumber
        self.bootId = bootId
        self.journalSequence = journalSequence
        self.timeMilliseconds = timeMilliseconds
        self.code = code
        self.parameter = parameter
    }
}
