import Coordination
import FieldIO
import JunctionConfig
import SignalCore
import Wire

/// The neighbour exchange of a coordinated corridor run: one `NeighbourNode` per junction (the
/// sender, receiver and forecast the daemon uses), its datagrams sealed with the real Wire codec
/// and carried by a simulated link that delays each by a fixed time and loses a seeded share.
///
/// Time is the simulation's: a datagram's send time is the tick's, so `late_after` and
/// `stale_after` act on simulated seconds as they would on wall-clock ones. A `silent` junction
/// never sends (its neighbours must fall back to isolated control); it still receives.
struct CorridorExchange {
    /// How the simulated link behaves.
    struct Settings {
        /// Share of datagrams lost, 0...1, drawn from a generator seeded with `seed`.
        var loss: Double
        /// Time from send to delivery, in tenths.
        var delayTenths: Tenths
        var seed: UInt64
        /// The traffic light id (`[sumo] tls`) of a junction that never sends.
        var silent: String?
    }

    /// Why the exchange cannot start.
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    private struct InFlight {
        let due: Tenths
        let destination: Int
        let bytes: [UInt8]
    }

    let settings: Settings
    /// Per member: its node, nil for a junction without a `[neighbours]` section.
    let nodes: [NeighbourNode?]
    private let memberOfJunction: [UInt32: Int]
    private let silentMember: Int?
    private var inFlight: [InFlight] = []
    private var random: SplitMix64
    private var actuations: [[Int]]
    private(set) var sent: UInt64 = 0
    private(set) var lost: UInt64 = 0
    /// The simulated wall clock at tick 0, in milliseconds since the epoch (any fixed value works).
    private static let epochMilliseconds: UInt64 = 1_800_000_000_000

    /// Nodes for `junctions` (in the peer's order) from their `[neighbours]` sections.
    init(junctions: [(path: String, configuration: JunctionConfiguration)], settings: Settings) throws(StartError) {
        self.settings = settings
        var nodes: [NeighbourNode?] = []
        var memberOfJunction: [UInt32: Int] = [:]
        for (m, member) in junctions.enumerated() {
            guard let neighbours = member.configuration.neighbours else {
                nodes.append(nil)
                continue
            }
            memberOfJunction[neighbours.junctionId] = m
            var keys: [WireKey] = []
            for neighbour in neighbours.neighbours {
                guard case .hex(let hex) = neighbour.key, let key = try? WireKey(hex: hex) else {
                    throw StartError(description: "\(member.path): neighbour \(neighbour.junctionId) needs a hex key")
                }
                keys.append(key)
            }
            nodes.append(
                NeighbourNode(
                    settings: neighbours, keys: keys, junction: member.configuration.junction,
                    adaptive: member.configuration.adaptive, bootId: UInt64(neighbours.junctionId)))
        }
        if let silent = settings.silent {
            guard let index = junctions.firstIndex(where: { $0.configuration.sumo?.trafficLight == silent }) else {
                throw StartError(description: "--silent \(silent): no junction has that traffic light")
            }
            silentMember = index
        } else {
            silentMember = nil
        }
        self.nodes = nodes
        self.memberOfJunction = memberOfJunction
        random = SplitMix64(seed: settings.seed)
        actuations = junctions.map { [Int](repeating: 0, count: $0.configuration.junction.detectors.count) }
    }

    private static func wallMilliseconds(_ tick: Tenths) -> UInt64 { epochMilliseconds + UInt64(tick) * 100 }

    /// Hands every datagram due by `tick` to its addressee, before the controllers step.
    mutating func deliver(tick: Tenths) {
        var kept: [InFlight] = []
        for datagram in inFlight {
            if datagram.due <= tick {
                nodes[datagram.destination]?.receive(
                    datagram.bytes, tick: tick, wallMilliseconds: Self.wallMilliseconds(tick))
            } else {
                kept.append(datagram)
            }
        }
        inFlight = kept
    }

    /// After the controllers stepped: every node observes its junction's tick, and once a second
    /// sends its outflow datagrams onto the link.
    mutating func send(tick: Tenths, members: [CorridorPeer.Member], snapshots: [DetectorSnapshot]) {
        for (m, node) in nodes.enumerated() {
            guard let node else { continue }
            for d in actuations[m].indices { actuations[m][d] = Int(snapshots[m].actuations[d]) }
            node.observe(tick: tick, actuations: actuations[m], signals: members[m].controller.signals)
            guard tick % 10 == 0, m != silentMember else { continue }
            for (junctionId, bytes) in node.outgoing(tick: tick, wallMilliseconds: Self.wallMilliseconds(tick)) {
                sent += 1
                guard let destination = memberOfJunction[junctionId] else { continue }
                if Double(random.next() >> 11) / Double(1 << 53) < settings.loss {
                    lost += 1
                    continue
                }
                inFlight.append(InFlight(due: tick + settings.delayTenths, destination: destination, bytes: bytes))
            }
        }
    }

    /// `sent=… lost=…` and per junction `<tls>.accepted=… <tls>.dropped=… <tls>.stale=… <tls>.recovered=…`.
    func counters(members: [CorridorPeer.Member]) -> String {
        var words = ["sent=\(sent)", "lost=\(lost)"]
        for (m, node) in nodes.enumerated() {
            guard let node else { continue }
            let counters = node.counters
            let tls = members[m].mapping.trafficLight
            let dropped = counters.links.map { $0.drops.reduce(0, +) }.reduce(0, +) + counters.unattributed.reduce(0, +)
            words.append("\(tls).accepted=\(counters.links.map(\.accepted).reduce(0, +))")
            words.append("\(tls).dropped=\(dropped)")
            words.append("\(tls).stale=\(counters.links.map(\.staleEvents).reduce(0, +))")
            words.append("\(tls).recovered=\(counters.links.map(\.recoveries).reduce(0, +))")
        }
        return words.joined(separator: " ")
    }
}
