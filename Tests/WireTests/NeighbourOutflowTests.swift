import SignalCore
import Testing
import Wire

/// The neighbour outflow payload (type 32): what is encoded decodes to the same profile in
/// hundredths, and every payload outside the layout's bounds is refused, never read past.
@Suite("Neighbour outflow payload")
struct NeighbourOutflowTests {
    static func encoded(_ profile: OutflowProfile) -> [UInt8] {
        var writer = ByteWriter()
        profile.encode(into: &writer)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(WireError) -> OutflowProfile {
        var reader = ByteReader(bytes)
        return try OutflowProfile.decode(from: &reader)
    }

    @Test func roundTripInHundredths() throws {
        var profile = OutflowProfile(startTenths: -10, bins: 61)
        for i in profile.vehicles.indices { profile.vehicles[i] = Double(i) * 0.37 }
        let bytes = Self.encoded(profile)
        #expect(bytes.count == OutflowProfile.payloadBytes(bins: 61))
        let decoded = try Self.decode(bytes)
        #expect(decoded.startTenths == -10)
        #expect(decoded.vehicles.count == 61)
        for i in profile.vehicles.indices {
            #expect(abs(decoded.vehicles[i] - profile.vehicles[i]) <= 0.005 + 1e-9)
        }
    }

    @Test func encoderClampsWhatCannotTravel() throws {
        var profile = OutflowProfile(startTenths: 100_000, bins: 4)
        profile.vehicles = [-3, .nan, 1e9, .infinity]
        let decoded = try Self.decode(Self.encoded(profile))
        #expect(decoded.startTenths == Tenths(Int16.max))
        #expect(decoded.vehicles == [0, 0, OutflowProfile.maximumVehiclesPerBin, OutflowProfile.maximumVehiclesPerBin])
    }

    @Test func aFullProfileFitsOneDatagram() {
        #expect(OutflowProfile.payloadBytes(bins: OutflowProfile.maximumBins) <= WireFormat.maximumPayloadBytes)
    }

    @Test(arguments: [
        ("empty", [UInt8]()),
        ("no count", [0xFF, 0xF6]),
        ("count beyond the bins", [0, 0, 3, 0, 1, 0, 2]),
        ("bytes left over", [0, 0, 1, 0, 1, 0]),
        ("more bins than allowed", [0, 0, 121] + [UInt8](repeating: 0, count: 242)),
        ("a bin above the maximum", [0, 0, 1, 0x13, 0x89]),
    ] as [(String, [UInt8])])
    func malformedPayloadsAreRefused(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: WireError.self, "\(name)") { try Self.decode(bytes) }
    }

    @Test func everyPrefixOfAGoodPayloadIsRefused() {
        var profile = OutflowProfile(startTenths: -10, bins: 5)
        profile.vehicles = [1, 2, 3, 4, 5]
        let bytes = Self.encoded(profile)
        for length in 0..<bytes.count {
            #expect(throws: WireError.self) { try Self.decode(Array(bytes.prefix(length))) }
        }
    }

    @Test func upstreamReceiversRefuseIt() {
        var sealer = DatagramSealer(junctionId: 7, senderId: 2, bootId: 1, key: WireFixtures.key)
        let datagram = sealer.seal(
            type: .neighbourOutflow, payload: Self.encoded(OutflowProfile(startTenths: 0, bins: 2)), timeMilliseconds: 5)
        var junction = WireFixtures.junctionReceiver()
        #expect(junction.receive(datagram[...]) == nil)
        #expect(junction.drops[.unexpectedType] == 1)
        var central = WireFixtures.centralReceiver()
        #expect(central.receive(datagram[...]) == nil)
        #expect(central.drops[.unexpectedType] == 1)
        #expect(!MessageType.neighbourOutflow.travelsUpstream)
    }
}
