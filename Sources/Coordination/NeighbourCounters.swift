import SignalCore

/// What a `NeighbourReceiver` has seen, per neighbour and per reason, for `junctionctl status`
/// and the upstream status. Counters only grow (wrapping), except `fresh` and `lastHeardTick`.
public struct NeighbourCounters: Sendable, Equatable {
    /// One neighbour's traffic.
    public struct Link: Sendable, Equatable {
        /// Profiles accepted and merged.
        public var accepted: UInt64 = 0
        /// Datagrams that claimed to come from this neighbour and were refused, by reason.
        public var drops = [UInt64](repeating: 0, count: NeighbourDropReason.allCases.count)
        /// True while its forecast is in use (heard within `stale_after`).
        public var fresh = false
        /// Times it fell silent past `stale_after` and the junction fell back to its own loops.
        public var staleEvents: UInt64 = 0
        /// Times it was heard again after falling silent.
        public var recoveries: UInt64 = 0
        /// The tick its latest profile was accepted at; nil before the first.
        public var lastHeardTick: Tenths?
        /// The age of its latest accepted profile, in tenths.
        public var lastAgeTenths: Tenths = 0

        public init() {}

        /// Refusals for `reason`.
        public subscript(reason: NeighbourDropReason) -> UInt64 { drops[reason.rawValue] }
    }

    /// Per neighbour, in `NeighbourSettings.neighbours` order.
    public var links: [Link]
    /// Refusals that name no neighbour (unknown sender, or a frame too broken to name one), by reason.
    public var unattributed = [UInt64](repeating: 0, count: NeighbourDropReason.allCases.count)

    /// All zero for `neighbours` links.
    public init(neighbours: Int) {
        links = Array(repeating: Link(), count: neighbours)
    }

    /// Refusals for `reason`, over every neighbour and the unattributed ones.
    public func drops(_ reason: NeighbourDropReason) -> UInt64 {
        links.reduce(unattributed[reason.rawValue]) { $0 &+ $1.drops[reason.rawValue] }
    }

    mutating func count(_ reason: NeighbourDropReason, neighbour: Int?) {
        if let neighbour {
            links[neighbour].drops[reason.rawValue] &+= 1
        } else {
            unattributed[reason.rawValue] &+= 1
        }
    }
}
