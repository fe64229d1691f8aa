import AgentX
import JunctionConfig
import Logging
import NTCIP
import RealTimeEngine
import SignalCore
import Synchronization
import SystemInterface

/// The NTCIP 1202 AgentX subagent: its own thread keeps a session with snmpd's master agent and
/// answers Get/GetNext/GetBulk from detached copies of the live board (docs/snmp.md).
///
/// Guarantees:
/// - the control loop is never touched: the thread only takes the board's lock for a copy, as
///   every other reader does, and runs at an ordinary (nice 5) priority;
/// - snmpd absent, refusing or restarting only makes it reconnect, after 0.5 s doubling to 30 s;
/// - it never writes: TestSet is refused with `notWritable`;
/// - SNMP security (USM, SHA, AES) is snmpd's alone: this side speaks only AgentX.
public final class SNMPSubagent: Sendable {
    /// Why the subagent could not start.
    public struct StartupError: Error, CustomStringConvertible {
        /// What went wrong, in words for the log.
        public var description: String
    }

    /// How long one receive waits before the thread looks at its stop flag and the volume periods.
    package static let pollMilliseconds = 200

    private let settings: SNMPSettings
    private let engine: JunctionEngine
    private let view: NTCIPStatusView
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let wake: WakePipe
    private let thread = Mutex<PosixThread?>(nil)
    private let counterBox = Mutex(SNMPCounters())

    private init(settings: SNMPSettings, engine: JunctionEngine, view: NTCIPStatusView, wake: WakePipe, logger: Logger)
    {
        self.settings = settings
        self.engine = engine
        self.view = view
        self.wake = wake
        self.logger = logger
    }

    /// Starts the subagent when `configuration` has an enabled `[snmp]` section; nil otherwise.
    public static func start(
        configuration: JunctionConfiguration, engine: JunctionEngine, logger: Logger
    ) throws(StartupError) -> SNMPSubagent? {
        guard let settings = configuration.snmp, settings.enabled else { return nil }
        let junction = configuration.junction
        let view = NTCIPStatusView(
            junction: junction, phaseMap: NTCIPPhaseMap(junction: junction, ringBarrier: configuration.ringBarrier),
            identity: NTCIPIdentity(make: "junctiond", model: "junctiond \(junction.name)", version: "1"))
        let subagent: SNMPSubagent
        do {
            subagent = SNMPSubagent(
                settings: settings, engine: engine, view: view, wake: try WakePipe(), logger: logger)
            let started = try PosixThread(name: "snmp-agentx") { [subagent] in subagent.run() }
            subagent.thread.withLock { $0 = started }
        } catch {
            throw StartupError(description: "cannot start the SNMP subagent thread: \(error)")
        }
        logger.notice(
            """
            snmp: NTCIP 1202 subagent for \(junction.groups.count) groups as phases 1–\(view.phaseMap.maxPhases), \
            AgentX master \(settings.agentX)
            """)
        return subagent
    }

    /// What the subagent has done so far.
    public func counters() -> SNMPCounters { counterBox.withLock { $0 } }

    /// Closes the session (a Close PDU when one is open) and joins the thread.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        wake.wake()
        thread.withLock { $0 }?.join()
        logger.info("snmp: stopped; \(counters().summary)")
    }

    // MARK: - The subagent thread

    private func run() {
        do {
            try Syscall.demoteCurrentThread(nice: 5)
        } catch {
            logger.debug("snmp: stays at the inherited priority: \(error)")
        }
        var backoff = ReconnectBackoff(initialMilliseconds: 500, maximumMilliseconds: 30_000)
        var sampler = VolumeOccupancySampler(periodSeconds: settings.volumePeriodSeconds)
        var failing = false
        while !stopping.load(ordering: .relaxed) {
            let registered = serveOneConnection(sampler: &sampler, failing: &failing)
            if registered { backoff.reset() }
            if stopping.load(ordering: .relaxed) { break }
            _ = wake.wait(timeoutMilliseconds: backoff.nextDelayMilliseconds())
        }
    }

    /// Connects, opens and registers, then answers until the session ends; returns whether the
    /// session got registered (then the next attempt starts from the shortest delay).
    private func serveOneConnection(sampler: inout VolumeOccupancySampler, failing: inout Bool) -> Bool {
        let connection: SNMPConnection
        do {
            connection = try SNMPConnection.open(settings.agentX, timeoutMilliseconds: settings.timeoutMilliseconds)
        } catch {
            counterBox.withLock { $0.connectFailures += 1 }
            if !failing {
                logger.warning(
                    """
                    snmp: cannot reach the AgentX master at \(settings.agentX): \(error); \
                    retrying with backoff up to 30 s
                    """)
            } else {
                logger.debug("snmp: still cannot reach \(settings.agentX): \(error)")
            }
            failing = true
            return false
        }
        failing = false
        counterBox.withLock { counters in
            counters.connects += 1
            if counters.connects > 1 { counters.reconnects += 1 }
        }
        let timeoutSeconds = UInt8(clamping: (settings.timeoutMilliseconds + 999) / 1000)
        var session = AgentXSession(
            subtrees: [NTCIPObjects.asc, NTCIPObjects.global],
            description: "junctiond NTCIP 1202 subagent (\(view.junction.name))", timeoutSeconds: timeoutSeconds)
        var registered = false
        var framer = AgentXFramer()
        let openDeadline = Clocks.monotonicNanoseconds() + settings.timeoutMilliseconds * 1_000_000
        do {
            try connection.send(session.open(), timeoutMilliseconds: settings.timeoutMilliseconds)
            while !stopping.load(ordering: .relaxed) {
                if session.state != .open, Clocks.monotonicNanoseconds() > openDeadline {
                    throw SNMPConnectionError.timedOut("waiting for snmpd to accept Open and Register")
                }
                let bytes = try connection.receive(waitMilliseconds: Self.pollMilliseconds)
                observe(&sampler)
                guard let bytes else { continue }
                framer.append(bytes)
                while let pdu = try nextPDU(&framer) {
                    for reply in handle(pdu, session: &session, sampler: sampler, registered: &registered) {
                        try connection.send(reply, timeoutMilliseconds: settings.timeoutMilliseconds)
                    }
                    if session.state == .closed { break }
                }
                if session.state == .closed { break }
            }
            if stopping.load(ordering: .relaxed), let close = session.close(.shutdown) {
                try? connection.send(close, timeoutMilliseconds: settings.timeoutMilliseconds)
            }
        } catch {
            logger.warning("snmp: AgentX session with \(settings.agentX) ended: \(error); reconnecting")
        }
        counterBox.withLock { counters in
            counters.registered = false
            if !stopping.load(ordering: .relaxed) { counters.disconnects += 1 }
        }
        return registered
    }

    /// The next framed PDU; a stream that cannot be framed ends the session (counted as malformed).
    private func nextPDU(_ framer: inout AgentXFramer) throws(SNMPConnectionError) -> [UInt8]? {
        do {
            return try framer.nextPDU()
        } catch {
            counterBox.withLock { $0.malformedPDUs += 1 }
            logger.error("snmp: unframeable bytes from snmpd (\(error)); dropping the session")
            throw .closedByPeer
        }
    }

    /// Decodes and handles one PDU; returns the replies to send.
    private func handle(
        _ bytes: [UInt8], session: inout AgentXSession, sampler: VolumeOccupancySampler, registered: inout Bool
    ) -> [[UInt8]] {
        let message: AgentXMessage
        do {
            message = try AgentXMessage.decode(bytes)
        } catch {
            counterBox.withLock { $0.malformedPDUs += 1 }
            logger.warning("snmp: malformed AgentX PDU from snmpd: \(error)")
            // The framer checked the header, so the request can still be answered with parseError.
            guard let header = try? AgentXHeader.decode(bytes, maximumPayloadBytes: AgentXMessage.maximumPayloadBytes),
                header.type != .response
            else { return [] }
            let refusal = AgentXMessage(
                pdu: .response(AgentXResponse(error: .parseError)), sessionID: header.sessionID,
                transactionID: header.transactionID, packetID: header.packetID)
            return [refusal.encode()]
        }
        let reaction = session.handle(message) { table(sampler: sampler) }
        for event in reaction.events {
            record(event, registered: &registered, session: session)
        }
        return reaction.replies
    }

    private func record(_ event: AgentXSession.Event, registered: inout Bool, session: AgentXSession) {
        switch event {
        case .opened(let sessionID):
            logger.info("snmp: AgentX session \(sessionID) open with \(settings.agentX)")
        case .registered(let subtree):
            logger.info("snmp: registered \(subtree)")
            if session.state == .open {
                registered = true
                counterBox.withLock { counters in
                    counters.sessionsRegistered += 1
                    counters.registered = true
                }
                logger.notice("snmp: serving NTCIP 1202 through \(settings.agentX)")
            }
        case .answered:
            counterBox.withLock { $0.requests += 1 }
        case .writeRefused:
            counterBox.withLock { $0.writesRefused += 1 }
        case .openRefused(let error):
            logger.error("snmp: snmpd refused the AgentX Open (error \(error))")
        case .registrationRefused(let subtree, let error):
            logger.error("snmp: snmpd refused to register \(subtree) (error \(error)); another subagent may own it")
        case .closedByMaster(let reason):
            logger.warning("snmp: snmpd closed the AgentX session (\(reason))")
        case .unexpected(let type):
            logger.debug("snmp: ignored an unexpected \(type) PDU")
        case .otherSession(let type, let sessionID):
            counterBox.withLock { $0.otherSessionPDUs += 1 }
            logger.warning("snmp: refused a \(type) PDU for session \(sessionID), not the open session \(session.sessionID)")
        }
    }

    /// Brings the volume/occupancy periods up to date from the detector totals.
    private func observe(_ sampler: inout VolumeOccupancySampler) {
        let totals = engine.board.withLock { $0.detectorTotals.detached() }
        sampler.observe(
            actuations: totals.actuations, occupiedTicks: totals.occupiedTicks,
            nowTenths: Clocks.monotonicNanoseconds() / 100_000_000)
    }

    /// The MIB view at this moment, from a detached copy of the board.
    private func table(sampler: VolumeOccupancySampler) -> MIBTable {
        let status = engine.board.withLock { $0.status.detached() }
        let wallSeconds = UInt32(clamping: Syscall.realtime().tv_sec)
        return view.table(status: status, sampler: sampler, wallSeconds: wallSeconds)
    }
}
