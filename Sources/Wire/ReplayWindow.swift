/// Rejects replayed datagrams of one sender: by boot id, then by a 64-datagram sliding window
/// over sequence numbers (as IPsec does), so reordering within the window is tolerated but no
/// datagram is accepted twice.
public struct ReplayWindow: Sendable, Equatable {
    /// How far behind the newest sequence number a datagram may arrive.
    public static let width: UInt64 = 64

    /// The boot id of the sender's current run; 0 before the first datagram.
    public private(set) var bootId: UInt64 = 0
    /// The newest sequence number accepted in this boot.
    public private(set) var highest: UInt64 = 0
    /// Bit i set: sequence `highest - i` was accepted.
    private var seen: UInt64 = 0
    private var started = false

    /// The boot id a sender's new run takes after `previous` (its last run's): larger than every
    /// earlier run's, and the clock (`nowMicroseconds`, Unix µs) when that is larger still, so that
    /// ids also grow across a lost record (docs/protocol.md, "boot id"). A `previous` with no
    /// usable id after it (2^64 − 2 or more: receivers refuse 2^64 − 1) is a damaged record, and the
    /// clock alone is taken.
    public static func nextBootId(after previous: UInt64, nowMicroseconds: UInt64) -> UInt64 {
        previous < UInt64.max - 1 ? max(previous + 1, nowMicroseconds) : nowMicroseconds
    }

    /// A window that has seen nothing; `minimumBootId` rejects boots below it (restored from disk).
    public init(minimumBootId: UInt64 = 0) {
        bootId = minimumBootId
    }

    /// A window as it stood when `bootId`, `highest` and `seenBits` were read from it (restored
    /// from disk after a restart, so nothing accepted before it is accepted again).
    public init(bootId: UInt64, highest: UInt64, seenBits: UInt64) {
        self.bootId = bootId
        self.highest = highest
        seen = seenBits
        started = true
    }

    /// Bit i set: sequence `highest - i` was accepted. With `bootId` and `highest`, all a window holds.
    public var seenBits: UInt64 { seen }

    /// Whether any datagram was accepted (else the window only holds a minimum boot id).
    public var hasAccepted: Bool { started }

    /// Throws the reason a datagram with these numbers would be a replay; changes nothing.
    public func check(bootId candidate: UInt64, sequence: UInt64) throws(WireError) {
        if candidate < bootId { throw .staleBoot }
        guard started, candidate == bootId else { return }
        if sequence > highest { return }
        let behind = highest - sequence
        if behind >= Self.width { throw .outsideWindow }
        if seen & (1 << behind) != 0 { throw .duplicate }
    }

    /// Records an accepted datagram; call only after `check` passed and the datagram was used.
    public mutating func accept(bootId candidate: UInt64, sequence: UInt64) {
        if !started || candidate > bootId {
            started = true
            bootId = candidate
            highest = sequence
            seen = 1
        } else if sequence > highest {
            let shift = sequence - highest
            seen = shift >= Self.width ? 1 : seen << shift | 1
            highest = sequence
        } else {
            seen |= 1 << (highest - sequence)
        }
    }
}
