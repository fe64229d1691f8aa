/// Central's side of one junction's record stream (its events, or its count bins; docs/protocol.md): which
/// arriving records are new and which are duplicates, and how far the records received run without a gap.
///
/// Records may arrive twice (a resend after a lost ack, a poll overlapping a push) and out of order (a poll filling
/// a gap behind newer pushes). Every record number is taken as new exactly once between restarts; the contiguous
/// mark `through` only rises, and is what central acknowledges once the records under it are committed. At most
/// `maximumRecordsAboveGap` records are held above a gap; more are refused as `overflow`, and the junction sends
/// them again after the gap closes. Never traps on a record number, even `UInt64.max`: a mark there stays there, and
/// every record is then a duplicate (`RecordBatch.decode` refuses batches that could lead to it). Pure: no clock,
/// no I/O.
public struct RecordIntake: Sendable, Equatable {
    /// What one arriving record is.
    public enum Verdict: Sendable, Equatable {
        /// Not seen before: store it.
        case new
        /// Already received (at or below the mark, or held above it): count it and drop it.
        case duplicate
        /// Above a gap, with too many already held there: not taken; it will be sent again.
        case overflow
    }

    /// Records held above a gap at most, per stream.
    public static let maximumRecordsAboveGap = 50_000

    /// Every record up to this number has been received, or was retired by the junction before central had it.
    public private(set) var through: UInt64
    /// Records received above `through`. Empty while records arrive in order, so the common case never hashes.
    private var above: Set<UInt64> = []

    /// An intake resuming from `through` (a committed mark; 0 for a junction never heard from).
    public init(through: UInt64 = 0) {
        self.through = through
    }

    /// Notes a batch's `firstAvailable`: the junction's retention removed every record below it, so those count as
    /// received. Returns how many of them central never had (lost for good).
    public mutating func retire(below firstAvailable: UInt64) -> UInt64 {
        guard firstAvailable > 1, firstAvailable - 1 > through else { return 0 }
        var alreadyHeld: UInt64 = 0
        if !above.isEmpty {
            let below = above.filter { $0 < firstAvailable }
            alreadyHeld = UInt64(below.count)
            above.subtract(below)
        }
        let retired = firstAvailable - 1 - through
        through = firstAvailable - 1
        closeGap()
        return retired - alreadyHeld
    }

    /// Takes one arriving record number and says whether it is new.
    public mutating func take(_ recordNumber: UInt64) -> Verdict {
        if recordNumber <= through || (!above.isEmpty && above.contains(recordNumber)) { return .duplicate }
        if recordNumber == through + 1 {
            through = recordNumber
            closeGap()
            return .new
        }
        guard above.count < Self.maximumRecordsAboveGap else { return .overflow }
        above.insert(recordNumber)
        return .new
    }

    /// Moves the mark over the records held just above it.
    private mutating func closeGap() {
        while !above.isEmpty, through < UInt64.max, above.remove(through + 1) != nil { through += 1 }
    }
}
