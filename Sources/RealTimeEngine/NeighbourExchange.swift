import SignalCore
import Synchronization

/// The tick's exchange with the neighbour service: this junction's outflow profiles out, the
/// forecast the service keeps from its neighbours' messages in. The tick uses it once a second.
///
/// Fixed-size: the profiles and the forecast are allocated once, at `init`, and change hands by
/// copying values in place under one priority-inheriting lock held only for the copies, so
/// neither side allocates in it. The tick never waits on the network: profiles the service has
/// not taken yet are overwritten by the next ones (only the newest forecast matters), and the
/// forecast the tick takes is whatever the service offered last.
public final class NeighbourExchange: Sendable {
    /// What the two sides share. `offered` is a class written and read only under the lock.
    private struct State: @unchecked Sendable {
        var outflow: [OutflowProfile]
        /// The tick the outflow profiles were made at; nil before the first.
        var madeAt: Tenths?
        let offered: NeighbourArrivals
    }

    private let state: Mutex<State>

    /// An exchange for `neighbours` neighbours; `offered` is a forecast of the same neighbours,
    /// given to this exchange alone (it holds what the service offers until the tick takes it).
    init(neighbours: Int, offered: NeighbourArrivals) {
        state = Mutex(State(outflow: Self.emptyProfiles(neighbours), madeAt: nil, offered: offered))
    }

    /// `count` profiles with room for the most bins, so copying into them never allocates.
    public static func emptyProfiles(_ count: Int) -> [OutflowProfile] {
        // Each with its own storage: copies sharing one would be copied again at their first write.
        (0..<count).map { _ in OutflowProfile(startTenths: 0, bins: OutflowProfile.maximumBins) }
    }

    // MARK: - The tick's side

    /// Hands over the profiles made at `tick` and copies the forecast last offered into `forecast`.
    func trade(outflow: [OutflowProfile], madeAt tick: Tenths, forecast: NeighbourArrivals) {
        state.withLock { state in
            for n in outflow.indices { Self.copy(outflow[n], into: &state.outflow[n]) }
            state.madeAt = tick
            forecast.assign(from: state.offered)
        }
    }

    // MARK: - The service's side

    /// Copies the outflow profiles into `profiles` (one per neighbour, made by `emptyProfiles`)
    /// when they were made after `tick`; returns the tick they were made at, or nil when nothing
    /// newer was handed over.
    public func takeOutflow(madeAfter tick: Tenths?, into profiles: inout [OutflowProfile]) -> Tenths? {
        state.withLock { state in
            guard let madeAt = state.madeAt, tick.map({ madeAt > $0 }) ?? true else { return nil }
            for n in state.outflow.indices { Self.copy(state.outflow[n], into: &profiles[n]) }
            return madeAt
        }
    }

    /// Offers `forecast` (of the same neighbours) to the tick, replacing what it offered before.
    public func offer(_ forecast: NeighbourArrivals) {
        state.withLock { $0.offered.assign(from: forecast) }
    }

    /// Makes `target` equal to `source` in place: no allocation while `target` has the capacity.
    static func copy(_ source: OutflowProfile, into target: inout OutflowProfile) {
        target.startTenths = source.startTenths
        if target.vehicles.count == source.vehicles.count {
            for i in source.vehicles.indices { target.vehicles[i] = source.vehicles[i] }
        } else {
            target.vehicles.removeAll(keepingCapacity: true)
            for vehicles in source.vehicles { target.vehicles.append(vehicles) }
        }
    }
}
