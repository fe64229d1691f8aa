import Coordination
import JunctionConfig
import SignalCore
import Testing
import Wire

/// Two junctions, A (id 1) upstream of B (id 2): A sends its outflow of group 0, B counts it on its
/// group 0. Every kind of bad message is refused under its own reason, leaves B's forecast as it
/// was, and B falls back when A falls silent and takes A up again when it is heard.
@Suite("Neighbour exchange")
struct NeighbourExchangeTests {
    static let key = try! WireKey(hex: String(repeating: "a5", count: 32))
    static let otherKey = try! WireKey(hex: String(repeating: "5a", count: 32))
    static let address = UpstreamSettings.Address(octets: [127, 0, 0, 1], port: 4720)
    static let adaptive = AdaptiveSettings(strategy: .advance)

    static var junction: Junction {
        let timing = SignalGroupTiming(minGreen: 70, maxGreen: 300, passage: 30, clearance: 30, redAmber: 15)
        var conflicts = [[false, true], [true, false]]
        conflicts[0][0] = false
        return Junction(
            name: "pair",
            groups: [SignalGroup(name: "A", kind: .vehicle, timing: timing), SignalGroup(name: "B", kind: .vehicle, timing: timing)],
            conflicts: conflicts, intergreen: [[0, 50], [50, 0]],
            stages: [Stage(name: "A", groups: [0]), Stage(name: "B", groups: [1])],
            detectors: [
                Detector(name: "A-stop", groups: [0]), Detector(name: "A-advance", groups: [0], placement: .advance),
                Detector(name: "B-stop", groups: [1]), Detector(name: "B-advance", groups: [1], placement: .advance),
            ])
    }

    static func neighbour(_ id: UInt32, outflow: [(group: Int, share: Double)] = [], inflow: [(group: Int, share: Double)] = [])
        -> NeighbourSettings.Neighbour
    {
        NeighbourSettings.Neighbour(
            junctionId: id, address: address, key: .hex(""), outflow: outflow, inflow: inflow, travelTenths: 200)
    }

    static func settings(_ id: UInt32, _ neighbours: [NeighbourSettings.Neighbour]) -> NeighbourSettings {
        NeighbourSettings(junctionId: id, listen: address, neighbours: neighbours)
    }

    static func nodeA(bootId: UInt64 = 10, key: WireKey = key) -> NeighbourNode {
        NeighbourNode(
            settings: settings(1, [neighbour(2, outflow: [(0, 1)])]), keys: [key], junction: junction, adaptive: adaptive,
            bootId: bootId)
    }

    static func nodeB(id: UInt32 = 2) -> NeighbourNode {
        NeighbourNode(
            settings: settings(id, [neighbour(1, inflow: [(0, 1)])]), keys: [key], junction: junction, adaptive: adaptive,
            bootId: 20)
    }

    /// Puts a queue of `vehicles` on A's green group 0 so its profiles carry something.
    static func queue(_ a: NeighbourNode, vehicles: Int) {
        a.observe(tick: 1, actuations: [0, vehicles, 0, 0], signals: [.green, .red])
    }

    static let wall: UInt64 = 1_800_000_000_000

    static func message(_ a: NeighbourNode, wall: UInt64 = wall) -> [UInt8] {
        let out = a.outgoing(tick: 2, wallMilliseconds: wall)
        #expect(out.count == 1 && out[0].junctionId == 2)
        return out[0].bytes
    }

    static func dropped(_ verdict: NeighbourVerdict) -> NeighbourDropReason? {
        if case .dropped(let reason, _) = verdict { return reason }
        return nil
    }

    static func announced(_ b: NeighbourNode) -> Double {
        b.arrivals.expected(group: 0, fromTenths: 0, toTenths: 2000)
    }

    @Test func aGoodMessageIsMergedWithItsAge() {
        let a = Self.nodeA()
        Self.queue(a, vehicles: 5)
        let b = Self.nodeB()
        let verdict = b.receive(Self.message(a), tick: 100, wallMilliseconds: Self.wall + 700)
        guard case .accepted(let n, let profile, let age) = verdict else {
            Issue.record("refused: \(verdict)")
            return
        }
        #expect(n == 0 && age == 7)
        #expect(profile.vehicles.reduce(0, +) == 5)
        #expect(Self.announced(b) == 5)
        #expect(b.counters.links[0].accepted == 1 && b.counters.links[0].fresh)
    }

    @Test func aDuplicateIsReplayed() {
        let a = Self.nodeA()
        Self.queue(a, vehicles: 5)
        let b = Self.nodeB()
        let bytes = Self.message(a)
        b.receive(bytes, tick: 100, wallMilliseconds: Self.wall)
        #expect(Self.dropped(b.receive(bytes, tick: 101, wallMilliseconds: Self.wall)) == .replayed)
        #expect(b.counters.links[0][.replayed] == 1 && b.counters.links[0].accepted == 1)
    }

    @Test func anOlderBootIsReplayed() {
        let b = Self.nodeB()
        let newer = Self.nodeA(bootId: 11)
        let older = Self.nodeA(bootId: 10)
        #expect(Self.dropped(b.receive(Self.message(newer), tick: 1, wallMilliseconds: Self.wall)) == nil)
        #expect(Self.dropped(b.receive(Self.message(older), tick: 2, wallMilliseconds: Self.wall)) == .replayed)
    }

    @Test func aLateMessageIsDroppedAndChangesNothing() {
        let a = Self.nodeA()
        Self.queue(a, vehicles: 5)
        let b = Self.nodeB()
        let verdict = b.receive(Self.message(a), tick: 100, wallMilliseconds: Self.wall + 2001)
        #expect(Self.dropped(verdict) == .late)
        #expect(Self.announced(b) == 0)
        // Stamped that far in the receiver's future: also late.
        #expect(Self.dropped(b.receive(Self.message(a, wall: Self.wall + 5000), tick: 101, wallMilliseconds: Self.wall)) == .late)
        // Just in time.
        #expect(Self.dropped(b.receive(Self.message(a), tick: 102, wallMilliseconds: Self.wall + 2000)) == nil)
    }

    @Test func forgedMessagesAreUnauthenticated() {
        let b = Self.nodeB()
        let forger = Self.nodeA(key: Self.otherKey)
        Self.queue(forger, vehicles: 5)
        #expect(Self.dropped(b.receive(Self.message(forger), tick: 1, wallMilliseconds: Self.wall)) == .unauthenticated)
        let a = Self.nodeA()
        Self.queue(a, vehicles: 5)
        let good = Self.message(a)
        for index in [0, 5, WireFormat.headerBytes + 3, good.count - 1] {
            var flipped = good
            flipped[index] ^= 0x10
            let reason = Self.dropped(b.receive(flipped, tick: 2, wallMilliseconds: Self.wall))
            #expect(reason == .unauthenticated || reason == .malformed || reason == .unknownSender, "byte \(index)")
        }
        var flippedPayload = good
        flippedPayload[WireFormat.headerBytes + 3] ^= 0x01
        #expect(Self.dropped(b.receive(flippedPayload, tick: 3, wallMilliseconds: Self.wall)) == .unauthenticated)
        #expect(b.counters.links[0][.unauthenticated] >= 2)
        #expect(Self.announced(b) == 0)
        // The untouched original still passes: the forgeries used up nothing.
        #expect(Self.dropped(b.receive(good, tick: 4, wallMilliseconds: Self.wall)) == nil)
    }

    @Test func aReorderedOlderMessageIsSuperseded() {
        let a = Self.nodeA()
        Self.queue(a, vehicles: 5)
        let b = Self.nodeB()
        let first = Self.message(a, wall: Self.wall)
        let second = Self.message(a, wall: Self.wall + 1000)
        #expect(Self.dropped(b.receive(second, tick: 10, wallMilliseconds: Self.wall + 1000)) == nil)
        #expect(Self.dropped(b.receive(first, tick: 11, wallMilliseconds: Self.wall + 1000)) == .superseded)
    }

    /// A neighbour restarted with its clock behind its last run's stamps (a board that boots
    /// before NTP) is taken up at once: a new boot says nothing about the old run's send times.
    @Test func aRestartedNeighbourWithAnEarlierClockIsTakenUp() {
        let b = Self.nodeB()
        let before = Self.nodeA(bootId: 10)
        #expect(Self.dropped(b.receive(Self.message(before, wall: Self.wall), tick: 10, wallMilliseconds: Self.wall)) == nil)
        let restarted = Self.nodeA(bootId: 11)
        let stamped = Self.wall - 1500
        #expect(Self.dropped(b.receive(Self.message(restarted, wall: stamped), tick: 20, wallMilliseconds: Self.wall)) == nil)
        // Within the new run, order by send time holds again.
        let older = Self.message(restarted, wall: stamped - 500)
        #expect(Self.dropped(b.receive(older, tick: 21, wallMilliseconds: Self.wall)) == .superseded)
    }

    @Test func anUnknownSenderAndAnotherAddresseeAreRefused() {
        let stranger = NeighbourNode(
            settings: Self.settings(9, [Self.neighbour(2, outflow: [(0, 1)])]), keys: [Self.key], junction: Self.junction,
            adaptive: Self.adaptive, bootId: 1)
        let b = Self.nodeB()
        #expect(Self.dropped(b.receive(Self.message(stranger), tick: 1, wallMilliseconds: Self.wall)) == .unknownSender)
        #expect(b.counters.unattributed[NeighbourDropReason.unknownSender.rawValue] == 1)
        let c = Self.nodeB(id: 3)
        #expect(Self.dropped(c.receive(Self.message(Self.nodeA()), tick: 1, wallMilliseconds: Self.wall)) == .notForMe)
    }

    @Test func malformedMessagesAreRefused() {
        let b = Self.nodeB()
        let a = Self.nodeA()
        let good = Self.message(a)
        #expect(Self.dropped(b.receive(Array(good.prefix(20)), tick: 1, wallMilliseconds: Self.wall)) == .malformed)
        #expect(Self.dropped(b.receive([], tick: 1, wallMilliseconds: Self.wall)) == .malformed)
        var sealer = DatagramSealer(junctionId: 1, senderId: 2, bootId: 10, key: Self.key)
        let badPayload = sealer.seal(type: .neighbourOutflow, payload: [0, 0, 5, 0, 1], timeMilliseconds: Self.wall)
        #expect(Self.dropped(b.receive(badPayload, tick: 1, wallMilliseconds: Self.wall)) == .malformed)
        let wrongType = sealer.seal(.ack(Acknowledgement(eventsThrough: 1, countsThrough: 1)), timeMilliseconds: Self.wall)
        #expect(Self.dropped(b.receive(wrongType, tick: 1, wallMilliseconds: Self.wall)) == .malformed)
        #expect(b.counters.links[0][.malformed] == 2 && b.counters.unattributed[NeighbourDropReason.malformed.rawValue] == 2)
        #expect(b.counters.drops(.malformed) == 4)
    }

    /// Boot ids and sequences count from 1: an authentic message numbered 0 is refused as malformed
    /// and uses up nothing, so the sender's real messages are taken after it.
    @Test func aMessageNumberedZeroIsMalformed() {
        let b = Self.nodeB()
        let good = Self.message(Self.nodeA())
        let payload = Array(good[WireFormat.headerBytes..<(good.count - WireFormat.tagBytes)])
        var bootZero = DatagramSealer(junctionId: 1, senderId: 2, bootId: 0, key: Self.key)
        let zero = bootZero.seal(type: .neighbourOutflow, payload: payload, timeMilliseconds: Self.wall)
        #expect(Self.dropped(b.receive(zero, tick: 1, wallMilliseconds: Self.wall)) == .malformed)
        #expect(b.counters.links[0][.malformed] == 1)
        // Nor is 2^64 - 1 a boot: no run could follow it, so the neighbour would never be heard again.
        var bootLast = DatagramSealer(junctionId: 1, senderId: 2, bootId: .max, key: Self.key)
        let last = bootLast.seal(type: .neighbourOutflow, payload: payload, timeMilliseconds: Self.wall)
        #expect(Self.dropped(b.receive(last, tick: 1, wallMilliseconds: Self.wall)) == .malformed)
        #expect(b.counters.links[0][.malformed] == 2)
        #expect(Self.dropped(b.receive(good, tick: 1, wallMilliseconds: Self.wall)) == nil)
    }

    @Test func aSilentNeighbourIsDroppedAndTakenUpAgain() {
        let a = Self.nodeA()
        Self.queue(a, vehicles: 5)
        let b = Self.nodeB()
        b.receive(Self.message(a), tick: 100, wallMilliseconds: Self.wall)
        b.observe(tick: 130, actuations: [0, 0, 0, 0], signals: [.red, .green])
        #expect(b.counters.links[0].fresh && Self.announced(b) == 5)
        // Lost messages: nothing arrives for longer than stale_after (3 s).
        b.observe(tick: 131, actuations: [0, 0, 0, 0], signals: [.red, .green])
        #expect(!b.counters.links[0].fresh && b.counters.links[0].staleEvents == 1)
        #expect(Self.announced(b) == 0)
        b.receive(Self.message(a, wall: Self.wall + 5000), tick: 150, wallMilliseconds: Self.wall + 5000)
        #expect(b.counters.links[0].fresh && b.counters.links[0].recoveries == 1)
        #expect(Self.announced(b) == 5)
    }

    @Test func nothingIsSentToANeighbourWithoutOutflow() {
        #expect(Self.nodeB().outgoing(tick: 10, wallMilliseconds: Self.wall).isEmpty)
    }
}
