/// The payload of one AgentX PDU, by type. The subagent encodes Open, Register, Close, Ping and
/// Response and decodes what a master sends; every type can be decoded so that tests and the fuzz
/// target can check the encoder against the decoder.
public enum AgentXPDU: Sendable, Equatable {
    /// Opens a session; `timeoutSeconds` 0 leaves the master's default.
    case open(timeoutSeconds: UInt8, id: OID, description: [UInt8])
    case close(AgentXCloseReason)
    /// Registers `subtree`; `rangeSubidentifier` 0 for a plain subtree (then `upperBound` is nil).
    case register(timeoutSeconds: UInt8, priority: UInt8, subtree: OID, rangeSubidentifier: UInt8, upperBound: UInt32?)
    case get([SearchRange])
    case getNext([SearchRange])
    case getBulk(nonRepeaters: UInt16, maxRepetitions: UInt16, ranges: [SearchRange])
    case testSet([VarBind])
    case commitSet
    case undoSet
    case cleanupSet
    case ping
    case response(AgentXResponse)
    /// A PDU a subagent never needs the body of (Notify, Unregister, index and capability PDUs):
    /// its payload is skipped.
    case other(AgentXPDUType)

    /// The header type this payload goes with.
    public var type: AgentXPDUType {
        switch self {
        case .open: return .open
        case .close: return .close
        case .register: return .register
        case .get: return .get
        case .getNext: return .getNext
        case .getBulk: return .getBulk
        case .testSet: return .testSet
        case .commitSet: return .commitSet
        case .undoSet: return .undoSet
        case .cleanupSet: return .cleanupSet
        case .ping: return .ping
        case .response: return .response
        case .other(let type): return type
        }
    }

    /// Whether RFC 2741 puts a context octet string first when NON_DEFAULT_CONTEXT is set.
    static func carriesContext(_ type: AgentXPDUType) -> Bool {
        switch type {
        case .register, .unregister, .get, .getNext, .getBulk, .testSet, .notify, .ping, .indexAllocate,
            .indexDeallocate, .addAgentCaps, .removeAgentCaps:
            return true
        case .open, .close, .commitSet, .undoSet, .cleanupSet, .response:
            return false
        }
    }

    /// Appends the payload (without header or context).
    func encode(into writer: inout PDUWriter) {
        switch self {
        case .open(let timeout, let id, let description):
            writer.append(timeout)
            for _ in 0..<3 { writer.append(UInt8(0)) }
            writer.append(id)
            writer.appendOctetString(description)
        case .close(let reason):
            writer.append(reason.rawValue)
            for _ in 0..<3 { writer.append(UInt8(0)) }
        case .register(let timeout, let priority, let subtree, let rangeSubidentifier, let upperBound):
            writer.append(timeout)
            writer.append(priority)
            writer.append(rangeSubidentifier)
            writer.append(UInt8(0))
            writer.append(subtree)
            if rangeSubidentifier != 0, let upperBound { writer.append(upperBound) }
        case .get(let ranges), .getNext(let ranges):
            Self.encode(ranges, into: &writer)
        case .getBulk(let nonRepeaters, let maxRepetitions, let ranges):
            writer.append(nonRepeaters)
            writer.append(maxRepetitions)
            Self.encode(ranges, into: &writer)
        case .testSet(let varBinds):
            varBinds.forEach { writer.append($0) }
        case .response(let response):
            writer.append(response.sysUpTime)
            writer.append(response.error)
            writer.append(response.index)
            response.varBinds.forEach { writer.append($0) }
        case .commitSet, .undoSet, .cleanupSet, .ping, .other:
            break
        }
    }

    private static func encode(_ ranges: [SearchRange], into writer: inout PDUWriter) {
        for range in ranges {
            writer.append(range.start)
            writer.append(range.end)
        }
    }

    /// Decodes a payload of `type` from the rest of `reader`, which must be used up exactly.
    static func decode(_ type: AgentXPDUType, from reader: inout PDUReader) throws(AgentXDecodeError) -> AgentXPDU {
        let pdu: AgentXPDU
        switch type {
        case .open:
            let timeout = try reader.byte()
            try reader.skip(3)
            pdu = .open(timeoutSeconds: timeout, id: try reader.oid(), description: try reader.octetString())
        case .close:
            let raw = try reader.byte()
            try reader.skip(3)
            guard let reason = AgentXCloseReason(rawValue: raw) else { throw .invalidField("close reason \(raw)") }
            pdu = .close(reason)
        case .register:
            let timeout = try reader.byte()
            let priority = try reader.byte()
            let rangeSubidentifier = try reader.byte()
            try reader.skip(1)
            let subtree = try reader.oid()
            let upperBound = rangeSubidentifier == 0 ? nil : try reader.uint32()
            pdu = .register(
                timeoutSeconds: timeout, priority: priority, subtree: subtree, rangeSubidentifier: rangeSubidentifier,
                upperBound: upperBound)
        case .get:
            pdu = .get(try searchRanges(&reader))
        case .getNext:
            pdu = .getNext(try searchRanges(&reader))
        case .getBulk:
            let nonRepeaters = try reader.uint16()
            let maxRepetitions = try reader.uint16()
            pdu = .getBulk(
                nonRepeaters: nonRepeaters, maxRepetitions: maxRepetitions, ranges: try searchRanges(&reader))
        case .testSet:
            var varBinds: [VarBind] = []
            while !reader.isAtEnd { varBinds.append(try reader.varBind()) }
            pdu = .testSet(varBinds)
        case .response:
            var response = AgentXResponse(sysUpTime: try reader.uint32())
            response.error = try reader.uint16()
            response.index = try reader.uint16()
            while !reader.isAtEnd { response.varBinds.append(try reader.varBind()) }
            pdu = .response(response)
        case .commitSet: pdu = .commitSet
        case .undoSet: pdu = .undoSet
        case .cleanupSet: pdu = .cleanupSet
        case .ping: pdu = .ping
        case .unregister, .notify, .indexAllocate, .indexDeallocate, .addAgentCaps, .removeAgentCaps:
            try reader.skip(reader.remaining)
            pdu = .other(type)
        }
        guard reader.isAtEnd else { throw .trailingBytes(reader.remaining) }
        return pdu
    }

    private static func searchRanges(_ reader: inout PDUReader) throws(AgentXDecodeError) -> [SearchRange] {
        var ranges: [SearchRange] = []
        while !reader.isAtEnd {
            let start = try reader.oid()
            let end = try reader.oid()
            ranges.append(SearchRange(start: start, end: end))
        }
        return ranges
    }
}
