import SignalCore

/// The recent controller events, numbered and stamped with the wall-clock time they were
/// journalled, in a ring sized once.
///
/// The tick appends without allocating. Readers ask for the events after a sequence number;
/// if they fall behind by more than the capacity, what they missed is counted in `overwritten`
/// and the gap is visible as a jump in sequence numbers, never hidden.
public struct EventJournal: Sendable {
    /// One event with its position in the daemon's whole event stream (1-based).
    public struct Entry: Sendable, Equatable {
        public var sequence: UInt64
        public var event: ControllerEvent
        /// Wall-clock milliseconds since the epoch when the event was journalled (`WallClock`):
        /// for people matching events to other logs; a clock step shows here, never in `tick`.
        public var wallMilliseconds: Int
    }

    private var ring: [ControllerEvent]
    private var stamps: [Int]
    /// The sequence number of the newest event; 0 before the first.
    public private(set) var lastSequence: UInt64 = 0
    /// Events pushed out of the ring before every reader could have seen them.
    public private(set) var overwritten: UInt64 = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a journal needs room")
        ring = Array(repeating: ControllerEvent(tick: 0, code: .phaseOn, parameter: 0), count: capacity)
        stamps = Array(repeating: 0, count: capacity)
    }

    public var capacity: Int { ring.count }

    package mutating func append(_ event: ControllerEvent, wallMilliseconds: Int) {
        lastSequence += 1
        if lastSequence > UInt64(ring.count) { overwritten += 1 }
        let slot = Int((lastSequence - 1) % UInt64(ring.count))
        ring[slot] = event
        stamps[slot] = wallMilliseconds
    }

    /// The events after `sequence`, oldest first, at most `limit` of them.
    public func entries(after sequence: UInt64, limit: Int = .max) -> [Entry] {
        let oldest = lastSequence > UInt64(ring.count) ? lastSequence - UInt64(ring.count) + 1 : 1
        var next = max(sequence + 1, oldest)
        var result: [Entry] = []
        while next <= lastSequence && result.count < limit {
            let slot = Int((next - 1) % UInt64(ring.count))
            result.append(Entry(sequence: next, event: ring[slot], wallMilliseconds: stamps[slot]))
            next += 1
        }
        return result
    }
}
