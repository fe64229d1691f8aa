/// The `res.error` values of a Response PDU: the SNMP error statuses a subagent uses and the
/// AgentX administrative errors a master agent returns (RFC 2741 §6.2.16).
public enum AgentXResponseError: UInt16, Sendable, CaseIterable {
    case noError = 0
    case genErr = 5
    case noAccess = 6
    case notWritable = 17
    case openFailed = 256
    case notOpen = 257
    case indexWrongType = 258
    case indexAlreadyAllocated = 259
    case indexNoneAvailable = 260
    case indexNotAllocated = 261
    case unsupportedContext = 262
    case duplicateRegistration = 263
    case unknownRegistration = 264
    case unknownAgentCaps = 265
    case parseError = 266
    case requestDenied = 267
    case processingError = 268
}
