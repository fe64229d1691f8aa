import AgentX
import Testing

/// The encoder against hand-written bytes from RFC 2741's layouts, and against the decoder.
@Suite("AgentX codec")
struct CodecTests {
    static let ntcip = OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 1])

    @Test("an OID under 1.3.6.1 uses the prefix form")
    func prefixForm() {
        var writer = PDUWriter()
        writer.append(Self.ntcip)
        // 1.3.6.1.4 becomes prefix 4; five sub-identifiers (1.1206.4.2.1) follow.
        #expect(writer.bytes == [5, 4, 0, 0, 0, 0, 0, 1, 0, 0, 4, 182, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 1])
    }

    @Test("an OID outside 1.3.6.1 is written whole")
    func plainForm() throws {
        var writer = PDUWriter()
        writer.append(OID([2, 999], include: true))
        #expect(writer.bytes == [2, 0, 1, 0, 0, 0, 0, 2, 0, 0, 3, 231])
        var reader = PDUReader(writer.bytes, bigEndian: true)
        let decoded = try reader.oid()
        #expect(decoded == OID([2, 999]))
        #expect(decoded.include)
    }

    @Test("octet strings are padded to four bytes")
    func padding() throws {
        var writer = PDUWriter()
        writer.appendOctetString(Array("abcde".utf8))
        #expect(writer.bytes == [0, 0, 0, 5, 97, 98, 99, 100, 101, 0, 0, 0])
        var reader = PDUReader(writer.bytes, bigEndian: true)
        #expect(try reader.octetString() == Array("abcde".utf8))
        #expect(reader.isAtEnd)
    }

    @Test("the Open PDU has the header layout of RFC 2741 §6.1")
    func openHeader() throws {
        var session = AgentXSession(subtrees: [Self.ntcip], description: "jd", timeoutSeconds: 2)
        let bytes = session.open()
        #expect(Array(bytes.prefix(4)) == [1, 1, 0x10, 0])
        // session 0, transaction 0, packet 1, payload: timeout+3 reserved, null OID (4), string (4+4).
        #expect(Array(bytes[4..<20]) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 16])
        #expect(bytes.count == 36)
        let message = try AgentXMessage.decode(bytes)
        #expect(message.pdu == .open(timeoutSeconds: 2, id: .null, description: Array("jd".utf8)))
    }

    static let everyValue: [MIBValue] = [
        .integer(-5), .octetString([1, 2, 3]), .null, .objectIdentifier(ntcip), .ipAddress([127, 0, 0, 1]),
        .counter32(7), .gauge32(8), .timeTicks(9), .opaque([0xff]), .counter64(1 << 40), .noSuchObject,
        .noSuchInstance, .endOfMibView,
    ]

    @Test("every PDU the subagent sends or receives survives a round trip")
    func roundTrips() throws {
        let ranges = [
            SearchRange(start: OID([1, 3, 6, 1, 4, 1, 1206], include: true), end: Self.ntcip),
            SearchRange(start: Self.ntcip),
        ]
        let bindings = Self.everyValue.enumerated().map {
            VarBind(name: Self.ntcip.appending(UInt32($0.offset)), value: $0.element)
        }
        let pdus: [AgentXPDU] = [
            .open(timeoutSeconds: 5, id: Self.ntcip, description: Array("x".utf8)),
            .close(.shutdown),
            .register(timeoutSeconds: 0, priority: 127, subtree: Self.ntcip, rangeSubidentifier: 0, upperBound: nil),
            .register(timeoutSeconds: 1, priority: 9, subtree: Self.ntcip, rangeSubidentifier: 10, upperBound: 44),
            .get(ranges), .getNext(ranges), .getBulk(nonRepeaters: 1, maxRepetitions: 9, ranges: ranges),
            .testSet(bindings), .commitSet, .undoSet, .cleanupSet, .ping,
            .response(AgentXResponse(sysUpTime: 77, error: .notWritable, index: 2, varBinds: bindings)),
        ]
        for pdu in pdus {
            let message = AgentXMessage(pdu: pdu, sessionID: 3, transactionID: 4, packetID: 5)
            #expect(try AgentXMessage.decode(message.encode()) == message)
        }
        let withContext = AgentXMessage(pdu: .get(ranges), sessionID: 1, context: Array("ctx".utf8))
        #expect(try AgentXMessage.decode(withContext.encode()) == withContext)
    }

    @Test("a little-endian PDU from a master decodes")
    func littleEndian() throws {
        // A GetNext in the master's host order (no NETWORK_BYTE_ORDER flag): session 0x0102, packet 9,
        // one range 1.3.6.1.4.1.1206 (prefix 4, subids 1, 1206) to the null OID.
        let payload: [UInt8] = [2, 4, 0, 0, 1, 0, 0, 0, 0xb6, 0x04, 0, 0, 0, 0, 0, 0]
        let header: [UInt8] = [1, 6, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, UInt8(payload.count), 0, 0, 0]
        let message = try AgentXMessage.decode(header + payload)
        #expect(message.sessionID == 0x0102)
        #expect(message.packetID == 9)
        #expect(message.pdu == .getNext([SearchRange(start: OID([1, 3, 6, 1, 4, 1, 1206]))]))
    }

    /// Hand-made bad inputs, each refused with its own reason.
    static let bad: [(String, [UInt8], AgentXDecodeError)] = [
        ("short header", [1, 5, 0x10], .truncated(needed: 17)),
        ("version 2", [2, 5, 0x10, 0] + Array(repeating: 0, count: 16), .unsupportedVersion(2)),
        ("type 99", [1, 99, 0x10, 0] + Array(repeating: 0, count: 16), .unknownType(99)),
        ("payload not a multiple of 4", [1, 5, 0x10, 0] + Array(repeating: 0, count: 15) + [3], .badPayloadLength(3)),
        (
            "payload too large", [1, 5, 0x10, 0] + Array(repeating: 0, count: 12) + [0x10, 0, 0, 0],
            .badPayloadLength(0x1000_0000)
        ),
        (
            "payload shorter than announced", [1, 5, 0x10, 0] + Array(repeating: 0, count: 15) + [8, 0, 0, 0, 0],
            .truncated(needed: 4)
        ),
        (
            "OID of 200 sub-identifiers", [1, 5, 0x10, 0] + Array(repeating: 0, count: 15) + [4, 200, 0, 0, 0],
            .oidTooLong(200)
        ),
        (
            "OID longer than its bytes", [1, 5, 0x10, 0] + Array(repeating: 0, count: 15) + [4, 3, 0, 0, 0],
            .truncated(needed: 12)
        ),
        (
            "include flag 7", [1, 5, 0x10, 0] + Array(repeating: 0, count: 15) + [4, 0, 0, 7, 0],
            .invalidField("include 7")
        ),
        (
            "close reason 0", [1, 2, 0x10, 0] + Array(repeating: 0, count: 15) + [4, 0, 0, 0, 0],
            .invalidField("close reason 0")
        ),
        (
            "value type 3",
            [1, 18, 0x10, 0] + Array(repeating: 0, count: 15) + [16] + Array(repeating: 0, count: 8) + [
                0, 3, 0, 0, 0, 0, 0, 0,
            ], .unknownValueType(3)
        ),
    ]

    @Test("malformed PDUs are refused with a named reason", arguments: 0..<bad.count)
    func malformed(_ index: Int) {
        let (name, bytes, expected) = Self.bad[index]
        #expect(throws: expected, "\(name)") { try AgentXMessage.decode(bytes) }
    }

    @Test("the framer cuts a stream delivered a byte at a time, and refuses a bad header")
    func framing() throws {
        let first = AgentXMessage(pdu: .ping, sessionID: 1, packetID: 1).encode()
        let second = AgentXMessage(pdu: .close(.shutdown), sessionID: 1, packetID: 2).encode()
        var framer = AgentXFramer()
        var cut: [[UInt8]] = []
        for byte in first + second {
            framer.append([byte])
            while let pdu = try framer.nextPDU() { cut.append(pdu) }
        }
        #expect(cut == [first, second])
        #expect(framer.bufferedBytes == 0)
        framer.append([9] + Array(repeating: 0, count: 19))
        #expect(throws: AgentXDecodeError.unsupportedVersion(9)) { try framer.nextPDU() }
    }

    @Test("OIDs order as a walk does and parse from dotted text")
    func ordering() {
        #expect(OID("1.3.6.1")! < OID("1.3.6.1.0")!)
        #expect(OID("1.3.6.1.2")! < OID("1.3.6.1.10")!)
        #expect(OID(".1.3.6")! == OID([1, 3, 6]))
        #expect(OID("1.x") == nil)
        #expect(OID("1.3.6.1.4.1.1206.4.2.1.1.4.1.4.1")!.isInSubtree(Self.ntcip))
        #expect(!OID("1.3.6.1.4.1.1206.4.2.10")!.isInSubtree(Self.ntcip))
    }
}
