/// One journal event on the wire: its sequence number, tick, Indiana code and what it is about.
public struct EventRecord: Codable, Sendable, Equatable {
    /// Who took a control command, decoded from an `OperatorAudit` record.
    public struct Operator: Codable, Sendable, Equatable {
        public var uid: UInt32
        /// The command as typed: `flash on`, `call N_stop`, `plan actuated`.
        public var command: String

        public init(uid: UInt32, command: String) {
            self.uid = uid
            self.command = command
        }
    }

    /// Position in the daemon's whole event stream, from 1; gaps mean overwritten events.
    public var sequence: UInt64
    /// The controller tick (tenths of a second since the daemon started).
    public var tick: Int
    /// The Indiana / Purdue event code.
    public var code: Int
    /// `EventCode.wireName`.
    public var name: String
    /// The raw parameter (1-based group or detector number, flash reason, …).
    public var parameter: Int
    /// The parameter in words: a group, detector or plan name, a flash reason, a fault kind.
    public var subject: String?
    public var `operator`: Operator?
    /// Wall-clock milliseconds since the epoch when the event was journalled, to match it with
    /// other logs; the tick orders events, this may jump with a clock step.
    public var wallTimeMilliseconds: Int?

    public init(
        sequence: UInt64, tick: Int, code: Int, name: String, parameter: Int, subject: String?, operator: Operator?,
        wallTimeMilliseconds: Int? = nil
    ) {
        self.wallTimeMilliseconds = wallTimeMilliseconds
        self.sequence = sequence
        self.tick = tick
        self.code = code
        self.name = name
        self.parameter = parameter
        self.subject = subject
        self.operator = `operator`
    }
}
