import Crypto
import Testing
import Wire

/// Wire computes its tags from SHA-256 states prepared once per key (RFC 2104 by hand, for speed); these tests hold
/// it to swift-crypto's own `HMAC<SHA256>` for every allowed key length and many payload sizes.
@Suite struct WireTagTests {
    @Test func sealedTagsAreTruncatedHMACSHA256OfHeaderAndPayload() throws {
        var generator = SystemRandomNumberGenerator()
        for keyBytes in WireKey.allowedBytes {
            let secret = (0..<keyBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let key = try WireKey(bytes: secret)
            var sealer = DatagramSealer(junctionId: 9, senderId: 0, bootId: 5, key: key)
            for payloadBytes in [0, 1, 9, 10, 11, 55, 64, 119, 500, WireFormat.maximumPayloadBytes] {
                let payload = (0..<payloadBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let datagram = sealer.seal(type: .events, payload: payload, timeMilliseconds: 1_700_000_000_000)
                let signed = datagram.dropLast(WireFormat.tagBytes)
                let reference = HMAC<SHA256>.authenticationCode(for: Array(signed), using: SymmetricKey(data: secret))
                #expect(Array(datagram.suffix(WireFormat.tagBytes)) == Array(reference.prefix(WireFormat.tagBytes)))
            }
        }
    }

    @Test func aTagIsAcceptedOnlyUnderItsKeyAndOnlyForItsBytes() throws {
        let key = try WireKey(bytes: Array(0..<32))
        let other = try WireKey(bytes: Array(1..<33))
        var sealer = DatagramSealer(junctionId: 9, senderId: 0, bootId: 5, key: key)
        let datagram = sealer.seal(.ack(Acknowledgement(eventsThrough: 3, countsThrough: 4)), timeMilliseconds: 0)
        #expect(throws: Never.self) { try DatagramOpener.open(datagram[...]) { _ in key } }
        #expect(throws: WireError.badTag) { try DatagramOpener.open(datagram[...]) { _ in other } }
        for position in datagram.indices {
            var changed = datagram
            changed[position] ^= 0x80
            #expect(throws: WireError.self) { try DatagramOpener.open(changed[...]) { _ in key } }
        }
    }
}
