/// The payload of a Response PDU (RFC 2741 §6.2.16).
public struct AgentXResponse: Sendable, Equatable {
    /// The sender's sysUpTime in hundredths of a second (the master's, in its answers; 0 from us).
    public var sysUpTime: UInt32
    /// `res.error`, raw: a master may send values this code does not name.
    public var error: UInt16
    /// 1-based index of the variable binding the error concerns; 0 for none.
    public var index: UInt16
    /// The answers, in request order.
    public var varBinds: [VarBind]

    /// A response; by default no error and no bindings.
    public init(
        sysUpTime: UInt32 = 0, error: AgentXResponseError = .noError, index: UInt16 = 0, varBinds: [VarBind] = []
    ) {
        self.sysUpTime = sysUpTime
        self.error = error.rawValue
        self.index = index
        self.varBinds = varBinds
    }

    /// The named error, or nil for a value RFC 2741 does not list.
    public var namedError: AgentXResponseError? { AgentXResponseError(rawValue: error) }
}
