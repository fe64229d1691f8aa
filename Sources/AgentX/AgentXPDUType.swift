/// The PDU types of RFC 2741 §6.1, by their `h.type` number.
public enum AgentXPDUType: UInt8, Sendable, CaseIterable {
    case open = 1
    case close = 2
    case register = 3
    case unregister = 4
    case get = 5
    case getNext = 6
    case getBulk = 7
    case testSet = 8
    case commitSet = 9
    case undoSet = 10
    case cleanupSet = 11
    case notify = 12
    case ping = 13
    case indexAllocate = 14
    case indexDeallocate = 15
    case addAgentCaps = 16
    case removeAgentCaps = 17
    case response = 18
}
