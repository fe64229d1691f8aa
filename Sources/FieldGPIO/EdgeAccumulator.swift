import FieldIO
import SignalCore

/// What the event thread has seen of the detector lines since the last tick, and the totals.
///
/// The event thread adds accepted transitions; the control tick drains them into its snapshot.
/// Shared between the two under one lock, held only for these short, allocation-free updates.
/// Every rising edge reaches exactly one tick as an actuation, unless the inputs were stale or
/// faulted when that tick came: then it is discarded and counted, never delivered late.
public struct EdgeAccumulator: Sendable {
    /// Edges awaiting a tick whose latency is still to be measured; more are counted as lost samples.
    public static let pendingEdgeCapacity = 256

    /// The accepted level of each detector line.
    public private(set) var presence: [Bool]
    /// Rising edges handed to ticks since start, per detector.
    public private(set) var deliveredRises: [Int]
    /// Edge-to-tick latency of every delivered transition (rising and falling).
    public private(set) var latency = LatencyHistogram(bucketWidthNanoseconds: 100_000, rangeNanoseconds: 1_000_000_000)
    /// Reads (edges read from the kernel), drops (missed edges, discarded actuations) and
    /// faults (onsets of staleness or of a line error).
    public private(set) var counters = FieldBackendCounters()
    /// Edges whose latency could not be measured because too many awaited one tick.
    public private(set) var latencySamplesLost = 0
    /// Edges that repeated the previous level: the opposite edge between them was missed.
    public private(set) var missedEdges = 0

    private var pendingRises: [Int]
    private var lineFaulted: [Bool]
    private var pendingEdgeNanoseconds: [Int]
    private var pendingEdgeCount = 0
    private var heartbeatNanoseconds: Int
    private var stale = false

    /// Detector lines reading `levels` (accepted, after active-low) at `nowNanoseconds`.
    public init(levels: [Bool], nowNanoseconds: Int) {
        presence = levels
        deliveredRises = Array(repeating: 0, count: levels.count)
        pendingRises = Array(repeating: 0, count: levels.count)
        lineFaulted = Array(repeating: false, count: levels.count)
        pendingEdgeNanoseconds = Array(repeating: 0, count: Self.pendingEdgeCapacity)
        heartbeatNanoseconds = nowNanoseconds
    }

    /// Records an accepted change of `detector`'s level.
    public mutating func accept(_ transition: DebounceFilter.Transition, detector: Int) {
        presence[detector] = transition.level
        if transition.level {
            pendingRises[detector] += 1
        }
        if pendingEdgeCount < Self.pendingEdgeCapacity {
            pendingEdgeNanoseconds[pendingEdgeCount] = transition.edgeNanoseconds
            pendingEdgeCount += 1
        } else {
            latencySamplesLost += 1
        }
    }

    /// Counts edges read from the kernel, `repeated` of them with the previous edge's level.
    public mutating func countEdges(read: Int, repeated: Int) {
        counters.reads += read
        counters.drops += repeated
        missedEdges += repeated
    }

    /// Marks `detector`'s line as failed (its events cannot be read) or recovered.
    public mutating func setLineFault(_ faulted: Bool, detector: Int) {
        if faulted && !lineFaulted[detector] {
            counters.faults += 1
        }
        lineFaulted[detector] = faulted
    }

    /// The event thread is alive and has handled everything up to `nowNanoseconds`.
    public mutating func heartbeat(nowNanoseconds: Int) {
        heartbeatNanoseconds = nowNanoseconds
    }

    /// Writes the detector states for a tick at `nowNanoseconds` into `snapshot` and starts the
    /// next accumulation. When the event thread's heartbeat is older than
    /// `staleAfterNanoseconds`, or a line has failed, that input is reported as a communication
    /// fault with no presence and no actuations.
    public mutating func drain(into snapshot: inout DetectorSnapshot, nowNanoseconds: Int, staleAfterNanoseconds: Int) {
        precondition(snapshot.count == presence.count, "one snapshot entry per detector line")
        let isStale = nowNanoseconds - heartbeatNanoseconds > staleAfterNanoseconds
        if isStale && !stale {
            counters.faults += 1
        }
        stale = isStale
        for d in presence.indices {
            let rises = pendingRises[d]
            pendingRises[d] = 0
            if isStale || lineFaulted[d] {
                snapshot.presence[d] = false
                snapshot.actuations[d] = 0
                snapshot.communicationFault[d] = true
                counters.drops += rises
                continue
            }
            let delivered = min(rises, Int(UInt8.max))
            snapshot.presence[d] = presence[d]
            snapshot.actuations[d] = UInt8(delivered)
            snapshot.communicationFault[d] = false
            deliveredRises[d] += delivered
            counters.drops += rises - delivered
        }
        if !isStale {
            for index in 0..<pendingEdgeCount {
                latency.record(nanoseconds: nowNanoseconds - pendingEdgeNanoseconds[index])
            }
        }
        pendingEdgeCount = 0
    }
}
