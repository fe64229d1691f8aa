/// The subagent's side of one AgentX session as a state machine, with no I/O: it produces the
/// bytes to send and consumes decoded messages from the master.
///
/// Order of a session: `open()` → the master's Response carries the session id → one Register
/// per subtree → requests are answered from the table the caller supplies. A Close from the
/// master, a refused Open or a refused Register ends the session (the caller reconnects).
/// Writes are refused (`notWritable`): the view is read-only.
public struct AgentXSession: Sendable {
    /// Where the session is.
    public enum State: Sendable, Equatable {
        case idle
        /// Open sent with this packet id; waiting for its Response.
        case opening(packetID: UInt32)
        /// Registers sent; waiting for the Responses of these packet ids.
        case registering(pending: Set<UInt32>)
        /// Every subtree registered; requests are being answered.
        case open
        /// Ended (by either side); a new session needs a new connection.
        case closed
    }

    /// What handling one message led to, for the caller's log and counters.
    public enum Event: Sendable, Equatable {
        case opened(sessionID: UInt32)
        case openRefused(error: UInt16)
        case registered(OID)
        case registrationRefused(OID, error: UInt16)
        /// A Get, GetNext or GetBulk answered.
        case answered(AgentXPDUType)
        /// A TestSet refused as not writable.
        case writeRefused
        case closedByMaster(AgentXCloseReason)
        /// A message that does not fit the session's state (ignored).
        case unexpected(AgentXPDUType)
        /// A request carrying another session's id, refused as `notOpen`.
        case otherSession(AgentXPDUType, sessionID: UInt32)
    }

    /// The bytes to send and the events, from one message.
    public struct Reaction: Sendable, Equatable {
        /// Encoded PDUs to send, in order.
        public var replies: [[UInt8]] = []
        /// What happened, for logs and counters.
        public var events: [Event] = []
    }

    /// The subtrees to register, each with default priority and no range.
    public let subtrees: [OID]
    /// Sent in Open, shown by the master (`snmpd` logs it).
    public let description: String
    /// The timeout the master should allow our answers, in seconds (0: the master's default).
    public let timeoutSeconds: UInt8
    /// Where the session is; `.open` once every subtree is registered.
    public private(set) var state: State = .idle
    /// The id the master assigned; 0 before it answered Open.
    public private(set) var sessionID: UInt32 = 0
    private var nextPacketID: UInt32 = 1
    private var registrations: [UInt32: OID] = [:]

    /// A session not yet opened; `timeoutSeconds` 0 leaves the master's default.
    public init(subtrees: [OID], description: String, timeoutSeconds: UInt8) {
        self.subtrees = subtrees
        self.description = description
        self.timeoutSeconds = timeoutSeconds
    }

    private mutating func takePacketID() -> UInt32 {
        defer { nextPacketID &+= 1 }
        return nextPacketID
    }

    /// The Open PDU that starts the session.
    public mutating func open() -> [UInt8] {
        let packetID = takePacketID()
        state = .opening(packetID: packetID)
        return AgentXMessage(
            pdu: .open(timeoutSeconds: timeoutSeconds, id: .null, description: Array(description.utf8)),
            packetID: packetID
        ).encode()
    }

    /// A Close PDU for a shutdown, or nil when no session is open to close.
    public mutating func close(_ reason: AgentXCloseReason = .shutdown) -> [UInt8]? {
        switch state {
        case .registering, .open:
            state = .closed
            return AgentXMessage(pdu: .close(reason), sessionID: sessionID, packetID: takePacketID()).encode()
        case .idle, .opening, .closed:
            state = .closed
            return nil
        }
    }

    /// Handles one message from the master; `table` is asked for only when a request needs it.
    public mutating func handle(_ message: AgentXMessage, table: () -> MIBTable) -> Reaction {
        var reaction = Reaction()
        if let refusal = refusalOfAnotherSession(message) {
            return refusal
        }
        switch message.pdu {
        case .response(let response):
            handleResponse(response, message: message, into: &reaction)
        case .get(let ranges), .getNext(let ranges), .getBulk(_, _, let ranges):
            guard state == .open else {
                reaction.events.append(.unexpected(message.pdu.type))
                return reaction
            }
            let answer: AgentXResponse
            if message.context != nil {
                // Only the default context is registered; snmpd sends no other, but a request
                // for one must not be answered from the default view.
                answer = AgentXResponse(error: .unsupportedContext, index: 0)
            } else {
                let view = table()
                let bindings: [VarBind]
                switch message.pdu {
                case .get: bindings = view.answerGet(ranges)
                case .getBulk(let nonRepeaters, let maxRepetitions, _):
                    bindings = view.answerGetBulk(
                        nonRepeaters: nonRepeaters, maxRepetitions: maxRepetitions, ranges: ranges)
                default: bindings = view.answerGetNext(ranges)
                }
                answer = AgentXResponse(varBinds: bindings)
            }
            reaction.replies.append(reply(to: message, answer))
            reaction.events.append(.answered(message.pdu.type))
        case .testSet:
            reaction.replies.append(reply(to: message, AgentXResponse(error: .notWritable, index: 1)))
            reaction.events.append(.writeRefused)
        case .commitSet, .undoSet:
            // Unreachable after a refused TestSet; answered so a confused master is not left waiting.
            reaction.replies.append(reply(to: message, AgentXResponse(error: .genErr, index: 0)))
            reaction.events.append(.unexpected(message.pdu.type))
        case .cleanupSet:
            break
        case .ping:
            reaction.replies.append(reply(to: message, AgentXResponse()))
        case .close(let reason):
            state = .closed
            reaction.events.append(.closedByMaster(reason))
        case .open, .register, .other:
            reaction.events.append(.unexpected(message.pdu.type))
        }
        return reaction
    }

    /// A message naming a session other than ours, once ours has its id: a request is answered
    /// `notOpen` (RFC 2741 §7.1) and a Close or CleanupSet is ignored, so nothing is answered or
    /// obeyed in another session's name. Nil for a message of this session, or any Response.
    private func refusalOfAnotherSession(_ message: AgentXMessage) -> Reaction? {
        switch state {
        case .registering, .open: break
        case .idle, .opening, .closed: return nil
        }
        guard message.sessionID != sessionID else { return nil }
        var reaction = Reaction()
        switch message.pdu {
        case .get, .getNext, .getBulk, .testSet, .commitSet, .undoSet, .ping:
            reaction.replies.append(reply(to: message, AgentXResponse(error: .notOpen, index: 0)))
        case .close, .cleanupSet:
            break
        case .response, .open, .register, .other:
            return nil
        }
        reaction.events.append(.otherSession(message.pdu.type, sessionID: message.sessionID))
        return reaction
    }

    private mutating func handleResponse(
        _ response: AgentXResponse, message: AgentXMessage, into reaction: inout Reaction
    ) {
        switch state {
        case .opening(let packetID) where message.packetID == packetID:
            guard response.error == AgentXResponseError.noError.rawValue else {
                state = .closed
                reaction.events.append(.openRefused(error: response.error))
                return
            }
            sessionID = message.sessionID
            reaction.events.append(.opened(sessionID: sessionID))
            var pending = Set<UInt32>()
            for subtree in subtrees {
                let packetID = takePacketID()
                pending.insert(packetID)
                registrations[packetID] = subtree
                let register = AgentXPDU.register(
                    timeoutSeconds: 0, priority: 127, subtree: subtree, rangeSubidentifier: 0, upperBound: nil)
                reaction.replies.append(AgentXMessage(pdu: register, sessionID: sessionID, packetID: packetID).encode())
            }
            state = pending.isEmpty ? .open : .registering(pending: pending)
        case .registering(var pending) where pending.contains(message.packetID):
            pending.remove(message.packetID)
            let subtree = registrations.removeValue(forKey: message.packetID) ?? .null
            guard response.error == AgentXResponseError.noError.rawValue else {
                state = .closed
                reaction.events.append(.registrationRefused(subtree, error: response.error))
                return
            }
            reaction.events.append(.registered(subtree))
            state = pending.isEmpty ? .open : .registering(pending: pending)
        default:
            reaction.events.append(.unexpected(.response))
        }
    }

    private func reply(to request: AgentXMessage, _ response: AgentXResponse) -> [UInt8] {
        AgentXMessage(
            pdu: .response(response), sessionID: request.sessionID, transactionID: request.transactionID,
            packetID: request.packetID
        ).encode()
    }
}
