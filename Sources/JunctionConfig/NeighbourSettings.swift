import SignalCore

/// The junctions this one exchanges traffic forecasts with (`[neighbours]`), as the loader checked
/// them: every group index exists, every share is in 0...1, the shares a road feeds add up to at
/// most 1, no neighbour is named twice or is this junction itself, and every address has a port.
///
/// A neighbour's messages only shape the adaptive strategy's proposals; they never reach a
/// timing limit (minimum or maximum green, clearance, intergreen) or the safety monitor.
public struct NeighbourSettings: Sendable, Equatable {
    /// One adjacent junction and the two roads between it and this one.
    public struct Neighbour: Sendable, Equatable {
        /// The neighbour's `[upstream] junction_id`; its messages carry it in the header.
        public var junctionId: UInt32
        /// Where the neighbour's `[neighbours] listen` socket is.
        public var address: UpstreamSettings.Address
        /// The key this pair of junctions shares (the same in both files).
        public var key: UpstreamSettings.KeySource
        /// This junction's groups whose vehicles drive toward the neighbour, each with the share
        /// of its departures that takes that road (group index, share 0...1). Empty: nothing is
        /// sent to it.
        public var outflow: [(group: Int, share: Double)]
        /// This junction's groups the road from the neighbour feeds, each with its share of the
        /// vehicles arriving on that road (group index, share 0...1; the shares add up to at most
        /// 1). Empty: nothing from it is used.
        public var inflow: [(group: Int, share: Double)]
        /// Free-flow travel time from the neighbour's stop line to this junction's, in tenths.
        public var travelTenths: Tenths

        public init(
            junctionId: UInt32, address: UpstreamSettings.Address, key: UpstreamSettings.KeySource,
            outflow: [(group: Int, share: Double)], inflow: [(group: Int, share: Double)], travelTenths: Tenths
        ) {
            self.junctionId = junctionId
            self.address = address
            self.key = key
            self.outflow = outflow
            self.inflow = inflow
            self.travelTenths = travelTenths
        }

        public static func == (a: Neighbour, b: Neighbour) -> Bool {
            a.junctionId == b.junctionId && a.address == b.address && a.key == b.key
                && a.outflow.elementsEqual(b.outflow, by: { $0 == $1 })
                && a.inflow.elementsEqual(b.inflow, by: { $0 == $1 }) && a.travelTenths == b.travelTenths
        }
    }

    /// This junction's id on the neighbour link: `[upstream] junction_id`.
    public var junctionId: UInt32
    /// The local UDP address neighbour messages arrive at and leave from.
    public var listen: UpstreamSettings.Address
    /// How far ahead each message projects this junction's outflow, in tenths (default 60 s).
    public var horizonTenths: Tenths = 600
    /// A neighbour silent this long is ignored until it is heard again, in tenths (default 3 s).
    public var staleAfterTenths: Tenths = 30
    /// A message whose send time is older than this by the receiver's clock is dropped as late,
    /// in tenths (default 2 s).
    public var lateAfterTenths: Tenths = 20
    public var neighbours: [Neighbour]

    public init(junctionId: UInt32, listen: UpstreamSettings.Address, neighbours: [Neighbour]) {
        self.junctionId = junctionId
        self.listen = listen
        self.neighbours = neighbours
    }
}
