import JunctionConfig
import SignalCore
import Wire

/// One junction's whole side of the neighbour exchange on one thread, for the corridor bench:
/// the same `NeighbourSender`, `NeighbourReceiver` and `NeighbourArrivals` the daemon uses, with
/// only the transport left to the caller.
///
/// Each tick: `observe`, then `expire`. Once a second: `outgoing`, handing each datagram to the
/// link toward `junctionId`; whatever the link delivers goes to that junction's `receive`.
/// The strategy reads `arrivals` (`AdaptiveSettings.makeStrategy(for:neighbours:)`).
public final class NeighbourNode {
    public private(set) var sender: NeighbourSender
    public private(set) var receiver: NeighbourReceiver
    /// The forecast the advance strategy reads.
    public let arrivals: NeighbourArrivals

    /// A node for `junction` under `settings`; `keys[n]` is the key shared with neighbour `n`.
    public init(
        settings: NeighbourSettings, keys: [WireKey], junction: Junction, adaptive: AdaptiveSettings, bootId: UInt64
    ) {
        arrivals = NeighbourArrivals(groupCount: junction.groups.count, neighbours: settings)
        sender = NeighbourSender(settings: settings, keys: keys, junction: junction, adaptive: adaptive, bootId: bootId)
        receiver = NeighbourReceiver(settings: settings, keys: keys, arrivals: arrivals)
    }

    /// Takes one tick's actuations and lamps (after the controller's step) and ages the forecast.
    public func observe(tick: Tenths, actuations: [Int], signals: [SignalState]) {
        sender.observe(tick: tick, actuations: actuations, signals: signals)
        receiver.expire(tick: tick)
    }

    /// The datagrams to send now, each with the junction id it is addressed to.
    public func outgoing(tick: Tenths, wallMilliseconds: UInt64) -> [(junctionId: UInt32, bytes: [UInt8])] {
        sender.datagrams(tick: tick, wallMilliseconds: wallMilliseconds).map {
            (sender.settings.neighbours[$0.neighbour].junctionId, $0.bytes)
        }
    }

    /// Checks a datagram the link delivered and merges it when it passes.
    @discardableResult
    public func receive(_ datagram: [UInt8], tick: Tenths, wallMilliseconds: UInt64) -> NeighbourVerdict {
        receiver.accept(datagram: datagram[...], tick: tick, wallMilliseconds: wallMilliseconds)
    }

    /// What the receiver has counted.
    public var counters: NeighbourCounters { receiver.counters }
}
