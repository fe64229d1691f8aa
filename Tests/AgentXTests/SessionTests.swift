import AgentX
import Testing

/// The session state machine against a scripted master.
@Suite("AgentX session")
struct SessionTests {
    static let asc = OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 1])
    static let global = OID([1, 3, 6, 1, 4, 1, 1206, 4, 2, 6])
    static let table = MIBTable([VarBind(name: asc.appending(1, 1, 0), value: .integer(4))])

    /// A session that has opened (session id 42) and registered both subtrees.
    static func openSession() throws -> AgentXSession {
        var session = AgentXSession(subtrees: [asc, global], description: "test", timeoutSeconds: 1)
        let open = try AgentXMessage.decode(session.open())
        let opened = session.handle(
            AgentXMessage(pdu: .response(AgentXResponse()), sessionID: 42, packetID: open.packetID)
        ) { table }
        #expect(opened.events == [.opened(sessionID: 42)])
        let registers = try opened.replies.map(AgentXMessage.decode)
        #expect(
            registers.map(\.pdu) == [
                .register(timeoutSeconds: 0, priority: 127, subtree: asc, rangeSubidentifier: 0, upperBound: nil),
                .register(timeoutSeconds: 0, priority: 127, subtree: global, rangeSubidentifier: 0, upperBound: nil),
            ])
        #expect(registers.allSatisfy { $0.sessionID == 42 })
        for register in registers {
            _ = session.handle(
                AgentXMessage(pdu: .response(AgentXResponse()), sessionID: 42, packetID: register.packetID)
            ) { table }
        }
        #expect(session.state == .open)
        return session
    }

    @Test("Open, Register, then a Get answered with the request's ids")
    func answers() throws {
        var session = try Self.openSession()
        let request = AgentXMessage(
            pdu: .get([SearchRange(start: Self.asc.appending(1, 1, 0))]), sessionID: 42, transactionID: 7, packetID: 8)
        var asked = 0
        let reaction = session.handle(request) {
            asked += 1
            return Self.table
        }
        #expect(asked == 1)
        #expect(reaction.events == [.answered(.get)])
        let reply = try AgentXMessage.decode(reaction.replies[0])
        #expect(reply.sessionID == 42 && reply.transactionID == 7 && reply.packetID == 8)
        #expect(
            reply.pdu
                == .response(AgentXResponse(varBinds: [VarBind(name: Self.asc.appending(1, 1, 0), value: .integer(4))]))
        )
    }

    @Test("requests before registration are not answered")
    func notYetOpen() {
        var session = AgentXSession(subtrees: [Self.asc], description: "test", timeoutSeconds: 1)
        _ = session.open()
        let reaction = session.handle(AgentXMessage(pdu: .getNext([SearchRange(start: Self.asc)]))) { Self.table }
        #expect(reaction.replies.isEmpty)
        #expect(reaction.events == [.unexpected(.getNext)])
    }

    @Test("a refused registration ends the session")
    func refusedRegistration() throws {
        var session = AgentXSession(subtrees: [Self.asc], description: "test", timeoutSeconds: 1)
        let open = try AgentXMessage.decode(session.open())
        let opened = session.handle(
            AgentXMessage(pdu: .response(AgentXResponse()), sessionID: 5, packetID: open.packetID)
        ) { Self.table }
        let register = try AgentXMessage.decode(opened.replies[0])
        let refused = session.handle(
            AgentXMessage(
                pdu: .response(AgentXResponse(error: .duplicateRegistration)), sessionID: 5, packetID: register.packetID
            )
        ) { Self.table }
        #expect(refused.events == [.registrationRefused(Self.asc, error: 263)])
        #expect(session.state == .closed)
    }

    @Test("writes are refused as notWritable; a Close from the master ends the session")
    func writesAndClose() throws {
        var session = try Self.openSession()
        let set = session.handle(
            AgentXMessage(
                pdu: .testSet([VarBind(name: Self.asc.appending(1, 1, 0), value: .integer(1))]), sessionID: 42,
                packetID: 3)
        ) { Self.table }
        #expect(
            try AgentXMessage.decode(set.replies[0]).pdu == .response(AgentXResponse(error: .notWritable, index: 1)))
        let closed = session.handle(AgentXMessage(pdu: .close(.shutdown), sessionID: 42)) { Self.table }
        #expect(closed.events == [.closedByMaster(.shutdown)])
        #expect(session.state == .closed)
        #expect(session.close() == nil)
    }

    @Test("a request or Close naming another session is refused notOpen or ignored, and the session stays open")
    func anotherSessionsRequests() throws {
        var session = try Self.openSession()
        var asked = 0
        let get = session.handle(
            AgentXMessage(
                pdu: .get([SearchRange(start: Self.asc.appending(1, 1, 0))]), sessionID: 999, transactionID: 7,
                packetID: 8)
        ) {
            asked += 1
            return Self.table
        }
        #expect(asked == 0)
        #expect(get.events == [.otherSession(.get, sessionID: 999)])
        let reply = try AgentXMessage.decode(get.replies[0])
        #expect(reply.sessionID == 999 && reply.packetID == 8)
        #expect(reply.pdu == .response(AgentXResponse(error: .notOpen, index: 0)))
        let close = session.handle(AgentXMessage(pdu: .close(.shutdown), sessionID: 999)) { Self.table }
        #expect(close.replies.isEmpty)
        #expect(close.events == [.otherSession(.close, sessionID: 999)])
        #expect(session.state == .open)
        let own = session.handle(
            AgentXMessage(pdu: .get([SearchRange(start: Self.asc.appending(1, 1, 0))]), sessionID: 42, packetID: 9)
        ) { Self.table }
        #expect(own.events == [.answered(.get)])
    }

    @Test("backoff doubles from 0.5 s to a 30 s cap and resets")
    func backoff() {
        var backoff = ReconnectBackoff(initialMilliseconds: 500, maximumMilliseconds: 30_000)
        let delays = (0..<9).map { _ in backoff.nextDelayMilliseconds() }
        #expect(delays == [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000])
        backoff.reset()
        #expect(backoff.nextDelayMilliseconds() == 500)
    }
}
