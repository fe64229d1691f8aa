import Synchronization
import Wire

/// The live state of the city, shared between the ingest thread (the one writer) and the web server (readers).
///
/// Writers change it under the lock in batches (one lock per received batch of datagrams, not per datagram);
/// every change bumps a version, so readers can ask only for what changed since they last looked.
public final class CityBoard: Sendable {
    /// Everything behind the lock.
    public struct State: Sendable {
        public var junctions: [LiveJunction]
        /// Position of each junction id in `junctions`.
        public var index: [UInt32: Int]
        /// Roads the city map draws, from the city file.
        public var roads: [MapRoad] = []
        public var drops = DropCounters()
        public var counters = CentralCounters()
        /// The newest version handed out; 0 before any change.
        public var version: UInt64 = 0
        /// Set while the store fails (for example a full disk); the dashboard shows it as a central alarm.
        public var storeProblem: String?
        /// When central started, Unix milliseconds.
        public var startedMilliseconds: Int64 = 0
        /// The city's alarms, raised and cleared by `reviewAlarms`.
        public var alarms = AlarmBook()

        /// Applies `body` to the junction with `id` and stamps it with a new version; false for an unknown id.
        @discardableResult
        public mutating func updateJunction(_ id: UInt32, _ body: (inout LiveJunction) -> Void) -> Bool {
            guard let position = index[id] else { return false }
            version += 1
            body(&junctions[position])
            junctions[position].version = version
            return true
        }

        /// Raises and clears the city's alarms at `nowMilliseconds`, and stamps every junction whose alarms changed
        /// with a new version, so a dashboard redraws a card the moment it goes offline or comes back.
        public mutating func reviewAlarms(nowMilliseconds: Int64, staleAfterMilliseconds: Int) {
            let changed = alarms.review(
                junctions: junctions, centralStoreProblem: storeProblem, startedMilliseconds: startedMilliseconds,
                nowMilliseconds: nowMilliseconds, staleAfterMilliseconds: staleAfterMilliseconds)
            for id in changed { updateJunction(id) { _ in } }
        }
    }

    private let state: Mutex<State>

    /// A board with every configured junction, none yet heard from, and the map's roads.
    public init(
        junctions: [JunctionEntry], startedMilliseconds: Int64, roads: [MapRoad] = [],
        congestion: CongestionThresholds = CongestionThresholds()
    ) {
        var index: [UInt32: Int] = [:]
        for (position, entry) in junctions.enumerated() { index[entry.id] = position }
        var initial = State(
            junctions: junctions.map { LiveJunction(entry: $0, congestion: congestion) }, index: index, roads: roads)
        initial.startedMilliseconds = startedMilliseconds
        state = Mutex(initial)
    }

    /// Changes the board under the lock.
    public func update<Result>(_ body: (inout State) -> Result) -> Result {
        state.withLock { body(&$0) }
    }

    /// A copy of the whole board (the arrays are copy-on-write, so this is cheap until the writer changes them).
    public func snapshot() -> State {
        state.withLock { $0 }
    }

    /// The junctions changed after `version`, and the board's current version to ask from next time.
    public func changes(since version: UInt64) -> (junctions: [LiveJunction], version: UInt64) {
        state.withLock { state in
            guard state.version > version else { return ([], state.version) }
            return (state.junctions.filter { $0.version > version }, state.version)
        }
    }
}
