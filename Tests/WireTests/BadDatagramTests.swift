import Testing
@testable import Wire

/// The table of hand-made bad datagrams: each is refused with its own reason, counted under it,
/// and yields nothing to answer.
@Suite("Bad datagrams")
struct BadDatagramTests {
    /// One bad datagram, the receiver that gets it, and the reason it must be refused for.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var toJunction: Bool
        var expected: WireError
        var testDescription: String { name }
    }

    static func poll(_ sealer: inout DatagramSealer) -> [UInt8] {
        sealer.seal(.poll(PollRequest(requestId: 1, query: .eventsAfter(3))), timeMilliseconds: 5)
    }

    static func report(_ sealer: inout DatagramSealer) -> [UInt8] {
        sealer.seal(.status(WireFixtures.sampleStatus), timeMilliseconds: 5)
    }

    /// `bytes` with its sequence number set to `sequence` and tagged again under the fixtures' key:
    /// an authentic datagram no sealer would number so.
    static func renumbered(_ bytes: [UInt8], sequence: UInt64) -> [UInt8] {
        var bytes = bytes
        let offset = 2 + 1 + 1 + 4 + 4 + 8  // magic, version, type, junction id, sender id, boot id
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * index)) }
        let body = bytes.dropLast(WireFormat.tagBytes)
        return Array(body) + WireFixtures.key.tag(of: body)
    }

    static var cases: [Case] {
        var central = WireFixtures.centralSealer()
        var junction = WireFixtures.junctionSealer()
        var wrongKey = WireFixtures.centralSealer(key: WireFixtures.otherKey)
        var senderZero = WireFixtures.centralSealer(senderId: 0)
        var bootZero = WireFixtures.centralSealer(bootId: 0)
        var bootLast = WireFixtures.centralSealer(bootId: .max)
        let good = poll(&central)
        var flippedPayload = good
        flippedPayload[WireFormat.headerBytes + 2] ^= 0x01
        var flippedTag = good
        flippedTag[flippedTag.count - 1] ^= 0x80
        var badMagic = good
        badMagic[0] = 0x4B
        var version2 = good
        version2[2] = 2
        var type99 = good
        type99[3] = 99
        var otherJunction = good
        otherJunction[7] = 8
        var shortLength = good
        shortLength[WireFormat.headerBytes - 1] -= 1
        return [
            Case(name: "empty", bytes: [], toJunction: true, expected: .truncated),
            Case(name: "header only", bytes: Array(good.prefix(WireFormat.headerBytes)), toJunction: true, expected: .truncated),
            Case(name: "truncated by one byte", bytes: Array(good.dropLast()), toJunction: true, expected: .lengthMismatch),
            Case(name: "trailing garbage", bytes: good + [0], toJunction: true, expected: .lengthMismatch),
            Case(name: "length field too small", bytes: shortLength, toJunction: true, expected: .lengthMismatch),
            Case(name: "oversized", bytes: good + Array(repeating: 0, count: 1201 - good.count), toJunction: true, expected: .oversized),
            Case(name: "bad magic", bytes: badMagic, toJunction: true, expected: .badMagic),
            Case(name: "wrong version", bytes: version2, toJunction: true, expected: .unsupportedVersion(2)),
            Case(name: "unknown type", bytes: type99, toJunction: true, expected: .unknownType(99)),
            Case(name: "another junction's id", bytes: otherJunction, toJunction: true, expected: .unknownJunction(0x0000_0008)),
            Case(name: "wrong key", bytes: poll(&wrongKey), toJunction: true, expected: .badTag),
            Case(name: "payload bit flipped", bytes: flippedPayload, toJunction: true, expected: .badTag),
            Case(name: "tag bit flipped", bytes: flippedTag, toJunction: true, expected: .badTag),
            Case(name: "own report reflected to the junction", bytes: report(&junction), toJunction: true, expected: .unexpectedType),
            Case(name: "poll claiming the junction's sender id", bytes: poll(&senderZero), toJunction: true, expected: .unexpectedType),
            Case(name: "poll sent to central", bytes: poll(&central), toJunction: false, expected: .unexpectedType),
            Case(name: "boot id 0", bytes: poll(&bootZero), toJunction: true, expected: .malformed(field: "boot_id")),
            Case(name: "boot id 2^64 - 1", bytes: poll(&bootLast), toJunction: true, expected: .malformed(field: "boot_id")),
            Case(
                name: "sequence 0", bytes: renumbered(poll(&central), sequence: 0), toJunction: true,
                expected: .malformed(field: "sequence")),
            Case(
                name: "poll with an unknown query",
                bytes: central.seal(type: .poll, payload: [0, 0, 0, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1], timeMilliseconds: 0),
                toJunction: true, expected: .malformed(field: "poll.query")),
            Case(
                name: "poll asking for 0 datagrams",
                bytes: central.seal(type: .poll, payload: [0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0], timeMilliseconds: 0),
                toJunction: true, expected: .malformed(field: "poll.max_datagrams")),
            Case(
                name: "ack one byte short",
                bytes: central.seal(type: .ack, payload: Array(repeating: 0, count: 15), timeMilliseconds: 0),
                toJunction: true, expected: .malformed(field: "ack.counts_through")),
            Case(
                name: "status with a counter count beyond the bytes",
                bytes: junction.seal(type: .status, payload: Self.statusPayload(counterCount: 3, counterBytes: 8),
                    timeMilliseconds: 0),
                toJunction: false, expected: .malformed(field: "status.counters")),
            Case(
                name: "event batch claiming more records than it holds",
                bytes: junction.seal(type: .events, payload: Self.batchPrefix(count: 2) + Array(repeating: 1, count: 20),
                    timeMilliseconds: 0),
                toJunction: false, expected: .malformed(field: "batch.count")),
        ]
    }

    @Test("each bad datagram is refused for its reason and counted", arguments: cases)
    func refusedForItsReason(_ bad: Case) {
        var receiver = bad.toJunction ? WireFixtures.junctionReceiver() : WireFixtures.centralReceiver()
        #expect(throws: bad.expected) { try receiver.open(bad.bytes[...]) }
        #expect(receiver.drops[bad.expected.dropReason] == 1)
        #expect(receiver.drops.total == 1)
        #expect(receiver.accepted == 0)
        #expect(receiver.receive(bad.bytes[...]) == nil)
    }

    @Test("a replayed datagram is refused as a duplicate, the original accepted once")
    func replayedIsDuplicate() throws {
        var central = WireFixtures.centralSealer()
        var receiver = WireFixtures.junctionReceiver()
        let bytes = Self.poll(&central)
        _ = try receiver.open(bytes[...])
        #expect(throws: WireError.duplicate) { try receiver.open(bytes[...]) }
        #expect(throws: WireError.duplicate) { try receiver.open(bytes[...]) }
        #expect(receiver.accepted == 1)
        #expect(receiver.drops[.duplicate] == 2)
    }

    @Test("reordering within the window is accepted once each; beyond it is refused")
    func reordering() throws {
        var central = WireFixtures.centralSealer()
        var receiver = WireFixtures.junctionReceiver()
        let datagrams = (0..<100).map { _ in Self.poll(&central) }
        // Newest first, then the older ones in reverse: 64 fit the window.
        _ = try receiver.open(datagrams[99][...])
        for index in stride(from: 98, through: 36, by: -1) {
            _ = try receiver.open(datagrams[index][...])
        }
        #expect(receiver.accepted == 64)
        #expect(throws: WireError.outsideWindow) { try receiver.open(datagrams[35][...]) }
        #expect(throws: WireError.duplicate) { try receiver.open(datagrams[50][...]) }
        #expect(receiver.drops[.outsideWindow] == 1)
        #expect(receiver.drops[.duplicate] == 1)
    }

    @Test("a datagram from an earlier boot is refused after a newer boot was seen")
    func staleBoot() throws {
        var old = WireFixtures.junctionSealer(bootId: 1000)
        var new = WireFixtures.junctionSealer(bootId: 2000)
        var receiver = WireFixtures.centralReceiver()
        let recorded = Self.report(&old)
        _ = try receiver.open(recorded[...])
        _ = try receiver.open(Self.report(&new)[...])
        #expect(throws: WireError.staleBoot) { try receiver.open(recorded[...]) }
        #expect(throws: WireError.staleBoot) { try receiver.open(Self.report(&old)[...]) }
        // The new boot restarted the window: its sequence 1 after old sequence 1 was fine.
        _ = try receiver.open(Self.report(&new)[...])
        #expect(receiver.accepted == 3)
    }

    @Test("a refused payload does not use up its sequence number")
    func refusedDoesNotAdvanceWindow() throws {
        var central = WireFixtures.centralSealer()
        var sameBoot = central
        var receiver = WireFixtures.junctionReceiver()
        let bad = central.seal(type: .ack, payload: [1], timeMilliseconds: 0)
        #expect(throws: WireError.malformed(field: "ack.events_through")) { try receiver.open(bad[...]) }
        _ = try receiver.open(Self.poll(&central)[...])
        // A good datagram with the refused one's sequence number (1) is still accepted.
        let good = sameBoot.seal(.ack(Acknowledgement(eventsThrough: 1, countsThrough: 1)), timeMilliseconds: 0)
        #expect(sameBoot.lastSequence == 1)
        _ = try receiver.open(good[...])
        #expect(receiver.accepted == 2)
        #expect(throws: WireError.duplicate) { try receiver.open(good[...]) }
    }

    @Test("centrals with different sender ids have separate windows")
    func sendersAreSeparate() throws {
        var first = WireFixtures.centralSealer(senderId: 1)
        var second = WireFixtures.centralSealer(senderId: 2)
        var receiver = WireFixtures.junctionReceiver()
        _ = try receiver.open(Self.poll(&first)[...])
        _ = try receiver.open(Self.poll(&second)[...])
        #expect(receiver.accepted == 2)
    }

    static func statusPayload(counterCount: UInt8, counterBytes: Int) -> [UInt8] {
        var writer = ByteWriter()
        var report = StatusReport()
        report.counters = []
        report.encode(into: &writer)
        var bytes = writer.bytes
        bytes[bytes.count - 1] = counterCount
        return bytes + Array(repeating: 0, count: counterBytes)
    }

    static func batchPrefix(count: UInt8) -> [UInt8] {
        [0, 0, 0, 0, 0, 1, 0] + Array(repeating: 0, count: 7) + [1] + Array(repeating: 0, count: 7) + [200, count]
    }
}
