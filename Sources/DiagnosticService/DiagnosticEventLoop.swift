import Diagnostics
import Glibc
import JunctionConfig
import Logging
import RealTimeEngine
import SignalCore
import SystemInterface

/// The diagnostic server's thread: one poll(2) loop over the two listening sockets, a wake pipe
/// and every client, with all session state confined to this thread.
///
/// Each pass: wait (at most 50 ms, so every tick's state is seen), copy the board if the loop has
/// ticked, accept, read and answer, collect control outcomes, feed subscriptions, write, and
/// enforce timeouts. The work per pass is bounded per client, so one busy client cannot starve
/// the others, and a flood only costs this thread's time, never the control loop's.
final class DiagnosticEventLoop {
    /// What the loop needs from the server.
    struct Context: Sendable {
        var options: DiagnosticServer.Options
        var policy: AccessPolicy
        var engine: JunctionEngine
        var loop: RealTimeLoop
        var fieldBackends: DiagnosticServer.FieldBackendNames
        var listeners: [DiagnosticListener]
        var wake: WakePipe
        var logger: Logger
        var server: DiagnosticServer
    }

    private static let passMilliseconds: CInt = 50
    /// Lines answered per client per pass; the rest wait for the next pass.
    private static let linesPerPass = 32
    /// Connections accepted per listener per pass.
    private static let acceptsPerPass = 32
    /// A client with this much unsent output is not read from until it catches up.
    private static let readPauseBytes = 64 << 10
    /// Consecutive bad lines after which a connection is closed as garbage.
    private static let maxConsecutiveErrors = 16
    /// Control requests waiting for the loop at once, across all clients; the mailbox keeps 32 answers.
    private static let maxPendingControls = 16
    /// Control requests of one uid logged line by line per `LogRateGate` interval; beyond, counted.
    private static let controlLinesPerInterval = 10
    /// Slow readers closed logged line by line per interval; beyond, counted.
    private static let slowReaderLinesPerInterval = 5

    let context: Context
    private let decoder = RequestDecoder()
    private var reader: DiagnosticBoardReader
    private var sessions: [DiagnosticSession] = []
    private var counters: ServerCounters
    private var configuration: (version: Int, value: JunctionConfiguration, source: String)
    private var readBuffer = [UInt8](repeating: 0, count: 16 << 10)
    private let slots: ClientSlots
    private var acceptPausedUntilNanoseconds = 0
    private var cachedState: (tick: Int, line: [UInt8])?
    /// The log lines about control requests, per uid: a technician's few in a row each have theirs,
    /// a flood is counted (every request is in the event journal whatever the log says).
    private var controlLog: [uid_t: LogRateGate] = [:]
    /// The log lines about slow readers closed, all readers together (each is counted in status).
    private var slowReaderLog = LogRateGate(burst: DiagnosticEventLoop.slowReaderLinesPerInterval)

    init(context: Context) {
        self.context = context
        configuration = context.server.configuration(newerThan: -1)!
        reader = DiagnosticBoardReader(
            engine: context.engine, loop: context.loop, junction: configuration.value.junction,
            fieldBackends: (context.fieldBackends.detectors, context.fieldBackends.outputs))
        slots = ClientSlots(
            maxClients: context.options.settings.maxClients, reservedForControl: context.options.reservedControlSlots)
        counters = ServerCounters(maxClients: slots.maxClients, reservedControlSlots: slots.reservedForControl)
    }

    /// Serves until `stopping` answers true (it is asked after every pass), then closes every connection.
    func run(until stopping: () -> Bool) {
        do {
            try Syscall.demoteCurrentThread(nice: 5)
        } catch {
            context.logger.debug("diagnostics: thread stays at its inherited priority: \(error)")
        }
        var entries: [pollfd] = []
        while !stopping() {
            entries.removeAll(keepingCapacity: true)
            entries.append(pollfd(fd: context.wake.readDescriptor, events: Int16(POLLIN), revents: 0))
            for listener in context.listeners {
                entries.append(pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0))
            }
            for session in sessions {
                var events: Int32 = 0
                if wantsInput(session) { events |= POLLIN }
                if session.pendingOutputBytes > 0 { events |= POLLOUT }
                // A descriptor with nothing to wait for is left out (-1): a hung-up peer would
                // otherwise report POLLHUP on every pass and spin the loop.
                entries.append(pollfd(fd: events == 0 ? -1 : session.descriptor, events: Int16(events), revents: 0))
            }
            let busy = sessions.contains(where: hasLineToAnswer)
            do {
                _ = try Syscall.poll(&entries, timeoutMilliseconds: busy ? 0 : Self.passMilliseconds)
            } catch {
                context.logger.error("diagnostics: poll failed: \(error)")
                Syscall.sleepUntil(monotonicNanoseconds: Clocks.monotonicNanoseconds() + 100_000_000)
                continue
            }
            if stopping() { break }
            let now = context.options.clock.nowNanoseconds()
            refreshConfiguration()
            reader.refresh()
            let polled = Array(entries.dropFirst(1 + context.listeners.count))
            for (session, entry) in zip(sessions, polled) where entry.revents != 0 {
                if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 && wantsInput(session) {
                    receive(session, now: now)
                }
            }
            for session in sessions where !session.closed {
                answerLines(session, now: now)
                collectOutcome(session, now: now)
                feedSubscriptions(session, now: now)
                if session.pendingOutputBytes > 0 && !session.flush(nowNanoseconds: now) {
                    session.closed = true
                }
                enforceLimits(session, now: now)
            }
            if entries[0].revents != 0 { drainWakePipe() }
            removeClosedSessions()
            logWhatTheGatesPassedOver(now: now)
            // Accepted last, once the clients that hung up in this pass have given their slots back;
            // the new sessions are served from the next pass.
            for (index, listener) in context.listeners.enumerated() where entries[1 + index].revents != 0 {
                acceptConnections(on: listener, now: now)
            }
            counters.clients = sessions.count
        }
        for session in sessions { session.closeDescriptor() }
        sessions.removeAll()
    }

    // MARK: - Connections

    /// Whether to read from the client now: not while it waits on the controller, while its replies
    /// pile up unread, or while it already has a line's worth of input to answer first. So a client's
    /// buffered input stays under the line limit plus one read, whatever it sends.
    private func wantsInput(_ session: DiagnosticSession) -> Bool {
        !session.inputClosed && !session.closeAfterFlush && !session.closed && session.pending == nil
            && session.pendingOutputBytes < Self.readPauseBytes
            && session.input.count <= DiagnosticProtocol.maxRequestLineBytes
    }

    /// Whether the client has a complete line that may be answered now.
    private func hasLineToAnswer(_ session: DiagnosticSession) -> Bool {
        !session.closeAfterFlush && !session.closed && session.pending == nil
            && session.pendingOutputBytes < Self.readPauseBytes && session.input.contains(0x0A)
    }

    private func acceptConnections(on listener: DiagnosticListener, now: Int) {
        guard now >= acceptPausedUntilNanoseconds else { return }
        for _ in 0..<Self.acceptsPerPass {
            let descriptor: CInt
            do {
                guard let accepted = try Syscall.accept(listener.descriptor) else { return }
                descriptor = accepted
            } catch {
                // Out of descriptors (EMFILE/ENFILE): pending connections wait in the backlog.
                context.logger.warning("diagnostics: cannot accept on \(listener.path): \(error); pausing 1 s")
                acceptPausedUntilNanoseconds = now + 1_000_000_000
                return
            }
            let peer: PeerIdentity
            do {
                let credentials = try Syscall.peerCredentials(descriptor)
                peer = PeerIdentity(
                    uid: credentials.uid, gid: credentials.gid, groups: credentials.groups, pid: credentials.pid)
            } catch {
                Syscall.close(descriptor)
                continue
            }
            let controlSlot = listener.socket == .control && context.policy.mayControl(peer)
            if !slots.admits(connected: sessions.count, controlSlot: controlSlot) { removeHungUpSessions() }
            guard slots.admits(connected: sessions.count, controlSlot: controlSlot) else {
                counters.refusedBusy += 1
                if controlSlot { counters.refusedBusyControl += 1 }
                refuse(descriptor, .busy, "too many clients (\(sessions.count) connected); try again later")
                continue
            }
            if let why = context.policy.refusal(of: peer, on: listener.socket) {
                counters.refusedForbidden += 1
                refuse(descriptor, .forbidden, why)
                continue
            }
            counters.accepted += 1
            sessions.append(DiagnosticSession(descriptor: descriptor, socket: listener.socket, peer: peer, nowNanoseconds: now))
        }
    }

    /// Sends one error line if the socket takes it at once, then closes.
    private func refuse(_ descriptor: CInt, _ code: DiagnosticErrorCode, _ message: String) {
        let line = ResponseLine.error(id: nil, code, message)
        _ = try? line.withUnsafeBytes { bytes throws(SystemError) in try Syscall.sendNow(descriptor, bytes) }
        Syscall.close(descriptor)
    }

    private func receive(_ session: DiagnosticSession, now: Int) {
        let received: Int?
        do {
            received = try readBuffer.withUnsafeMutableBytes { buffer throws(SystemError) in
                try Syscall.receiveNow(session.descriptor, into: buffer)
            }
        } catch {
            session.inputClosed = true
            return
        }
        guard let received else { return }
        if received == 0 {
            session.inputClosed = true
            // A last request the client sent without a newline before shutting its side
            // (`printf '{"cmd":"status"}' | socat`) is answered as a line, not dropped unseen.
            if let last = session.input.last, last != 0x0A { session.input.append(0x0A) }
            return
        }
        if session.input.isEmpty { session.partialLineSinceNanoseconds = now }
        // Bytes alone are not activity: only a request (in `answerLines`) keeps the connection.
        session.input.append(contentsOf: readBuffer[..<received])
    }

    private func enforceLimits(_ session: DiagnosticSession, now: Int) {
        let options = context.options
        if session.pendingOutputBytes > options.maxQueuedOutputBytes {
            counters.slowConsumers += 1
            logClosing(session, "not reading its stream", now: now)
            session.closed = true
            return
        }
        if session.pendingOutputBytes > 0,
            now - session.lastWriteProgressNanoseconds > options.writeTimeoutMilliseconds * 1_000_000
        {
            // Nothing taken for that long: a reader that stopped, even if its queue is short (a state
            // subscriber's skipped frames keep it short).
            counters.slowConsumers += 1
            logClosing(session, "took nothing for \(options.writeTimeoutMilliseconds / 1000) s", now: now)
            session.closed = true
            return
        }
        guard !session.closeAfterFlush else {
            if session.pendingOutputBytes == 0 { session.closed = true }
            return
        }
        if !session.input.isEmpty && !wantsInput(session) {
            // The server has stopped reading (its replies wait unread, or a control answer is due), so
            // the client cannot finish a line meanwhile: the line's time counts from when reading resumes.
            session.partialLineSinceNanoseconds = now
        }
        if let since = session.partialLineSinceNanoseconds, !session.input.isEmpty,
            now - since > options.lineTimeoutMilliseconds * 1_000_000
        {
            counters.timeouts += 1
            fatal(session, .timeout, "no complete line within \(options.lineTimeoutMilliseconds / 1000) s")
            return
        }
        let idle = now - session.lastRequestNanoseconds > options.idleTimeoutMilliseconds * 1_000_000
        if idle && !session.isSubscribed && session.pending == nil {
            counters.timeouts += 1
            fatal(session, .timeout, "idle for \(options.idleTimeoutMilliseconds / 1000) s")
            return
        }
        if session.inputClosed && session.pending == nil && !session.isSubscribed && session.pendingOutputBytes == 0
            && !session.input.contains(0x0A)
        {
            session.closed = true
        }
    }

    /// Queues a last error line and closes once it is sent.
    private func logClosing(_ session: DiagnosticSession, _ why: String, now: Int) {
        guard let passedOver = slowReaderLog.admit(at: now) else { return }
        context.logger.notice(
            "diagnostics: closing uid \(session.peer.uid) pid \(session.peer.pid): \(why)\(LogRateGate.suffix(passedOver, "slow readers closed"))")
    }

    /// Says what a gate passed over once its interval is over, so the count of a flood that nothing
    /// followed is not left unsaid; forgets the gates of uids that have gone quiet.
    private func logWhatTheGatesPassedOver(now: Int) {
        if let passedOver = slowReaderLog.overdue(at: now) {
            context.logger.notice("diagnostics: \(passedOver) more slow readers closed (counted in status as slow consumers)")
        }
        for uid in Array(controlLog.keys) {
            if let passedOver = controlLog[uid]?.overdue(at: now) {
                context.logger.notice(
                    "diagnostics: \(passedOver) more control requests from uid \(uid), not logged one by one (each is in the event journal)")
            }
            if controlLog[uid]?.isSpent(at: now) == true { controlLog[uid] = nil }
        }
    }

    private func fatal(_ session: DiagnosticSession, _ code: DiagnosticErrorCode, _ message: String) {
        counters.errors += 1
        session.queue(ResponseLine.error(id: nil, code, message))
        session.input.removeAll()
        session.closeAfterFlush = true
        session.stateIntervalNanoseconds = nil
        session.eventsCursor = nil
    }

    /// Closes the sessions whose clients have closed their sockets, which the server has not read
    /// yet: a client that connects and leaves at once would otherwise hold its slot until the next
    /// pass, and others would be refused `busy` with nobody connected.
    private func removeHungUpSessions() {
        var entries = sessions.map { pollfd(fd: $0.descriptor, events: 0, revents: 0) }
        // POLLHUP is reported without being asked for: on a Unix stream socket, only once the peer has
        // closed both directions, so a client that merely shut its sending side is still answered.
        guard (try? Syscall.poll(&entries, timeoutMilliseconds: 0)) != nil else { return }
        // A session with a request still to read or answer keeps its slot: a client may send a command
        // and close at once, and the command is still carried out and audited.
        for (session, entry) in zip(sessions, entries)
        where entry.revents & Int16(POLLHUP) != 0 && session.input.isEmpty && session.pending == nil
            && Syscall.unreadBytes(session.descriptor) == 0
        {
            session.closed = true
        }
        removeClosedSessions()
    }

    private func removeClosedSessions() {
        sessions.removeAll { session in
            guard session.closed else { return false }
            session.closeDescriptor()
            return true
        }
        counters.clients = sessions.count
    }

    private func drainWakePipe() {
        // poll already saw it readable: a zero-timeout wait just consumes what is pending.
        _ = context.wake.wait(timeoutMilliseconds: 0)
    }

    private func refreshConfiguration() {
        guard let newer = context.server.configuration(newerThan: configuration.version) else { return }
        configuration = newer
        reader.junctionChanged(newer.value.junction)
    }

    // MARK: - Requests

    private func answerLines(_ session: DiagnosticSession, now: Int) {
        var answered = 0
        while answered < Self.linesPerPass, hasLineToAnswer(session), let line = session.nextLine() {
            answered += 1
            counters.requests += 1
            session.partialLineSinceNanoseconds = session.input.isEmpty ? nil : now
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                counters.requests -= 1
                continue
            }
            do {
                let envelope = try decoder.decode(line)
                session.consecutiveErrors = 0
                // Only a request resets the idle timer: blank lines or garbage sent every few
                // seconds would otherwise hold a client slot for ever.
                session.lastRequestNanoseconds = now
                handle(envelope, from: session, now: now)
            } catch {
                reject(session, error)
            }
        }
        if !session.closeAfterFlush && !session.input.contains(0x0A)
            && session.input.count > DiagnosticProtocol.maxRequestLineBytes
        {
            counters.oversizedLines += 1
            fatal(session, .tooLong, "line longer than \(DiagnosticProtocol.maxRequestLineBytes) bytes; closing the connection")
        }
    }

    private func reject(_ session: DiagnosticSession, _ error: RequestError) {
        counters.errors += 1
        if error.code == .tooLong {
            counters.oversizedLines += 1
            fatal(session, .tooLong, error.message + "; closing the connection")
            counters.errors -= 1
            return
        }
        session.consecutiveErrors += 1
        session.queue(ResponseLine.error(error))
        if session.consecutiveErrors >= Self.maxConsecutiveErrors {
            fatal(session, .badRequest, "\(Self.maxConsecutiveErrors) bad lines in a row; closing the connection")
        }
    }

    private func fail(_ session: DiagnosticSession, _ id: RequestID?, _ code: DiagnosticErrorCode, _ message: String) {
        counters.errors += 1
        session.queue(ResponseLine.error(id: id, code, message))
    }

    private func handle(_ envelope: RequestEnvelope, from session: DiagnosticSession, now: Int) {
        let request = envelope.request
        let id = envelope.id
        if let why = context.policy.refusal(of: request.access, by: session.peer, on: session.socket) {
            fail(session, id, .forbidden, why)
            return
        }
        switch request {
        case .events(let since?, _, _), .subscribe(.events, _, let since?):
            let last = reader.journalLastSequenceNow
            if since > last {
                // Sequences count from the daemon's start: a client that kept one across a restart
                // would otherwise wait, unanswered, for events that are numbered anew.
                fail(session, id, .badRequest, "since \(since) is past the last event, \(last); sequences count from the daemon's start")
                return
            }
        default:
            break
        }
        let builder = reader.builder
        switch request {
        case .hello:
            session.queue(ResponseLine.reply(id: id, "hello", data: hello(session)))
        case .status:
            session.queue(ResponseLine.reply(id: id, "status", data: status(now: now)))
        case .detectors:
            session.queue(ResponseLine.reply(id: id, "detectors", data: builder.detectors(reader.sample.status, observer: reader.observer)))
        case .counts:
            session.queue(ResponseLine.reply(id: id, "counts", data: reader.observer.counts(junction: builder.junction)))
        case .config:
            session.queue(ResponseLine.reply(id: id, "config", data: configReport()))
        case .events(let since, let limit, let follow):
            if follow {
                subscribeEvents(session, id: id, since: since)
            } else {
                let page = reader.events(since: since, limit: limit ?? (since == nil ? 50 : DiagnosticProtocol.maxEventsPerReply))
                session.queue(ResponseLine.reply(id: id, "events", data: page))
            }
        case .subscribe(.events, _, let since):
            subscribeEvents(session, id: id, since: since)
        case .subscribe(.state, let interval, _):
            let milliseconds = interval ?? DiagnosticProtocol.defaultStateIntervalMilliseconds
            session.stateIntervalNanoseconds = milliseconds * 1_000_000
            session.nextStateNanoseconds = now
            session.lastStateTick = -1
            session.queue(ResponseLine.reply(id: id, "subscribe", data: subscriptions(session)))
        case .unsubscribe:
            session.stateIntervalNanoseconds = nil
            session.eventsCursor = nil
            session.queue(ResponseLine.reply(id: id, "unsubscribe", data: subscriptions(session)))
        case .flash, .hold, .advance, .call, .plan, .planAuto, .resetFault:
            submit(request, id: id, from: session, now: now)
        }
    }

    private func subscribeEvents(_ session: DiagnosticSession, id: RequestID?, since: UInt64?) {
        session.eventsCursor = since ?? reader.sample.journalLastSequence
        session.queue(ResponseLine.reply(id: id, "subscribe", data: subscriptions(session)))
    }

    private func subscriptions(_ session: DiagnosticSession) -> SubscriptionReport {
        var streams: [String] = []
        if session.stateIntervalNanoseconds != nil { streams.append(DiagnosticStream.state.rawValue) }
        if session.eventsCursor != nil { streams.append(DiagnosticStream.events.rawValue) }
        return SubscriptionReport(
            streams: streams, intervalMilliseconds: session.stateIntervalNanoseconds.map { $0 / 1_000_000 },
            since: session.eventsCursor)
    }

    private func hello(_ session: DiagnosticSession) -> HelloReport {
        let policy = context.policy
        return HelloReport(
            protocolVersion: DiagnosticProtocol.version, daemon: "junctiond", junction: reader.builder.junction.name,
            socket: session.socket.rawValue, uid: session.peer.uid, gid: session.peer.gid, pid: session.peer.pid,
            mayRead: policy.mayRead(session.peer),
            mayControl: session.socket == .control && policy.mayControl(session.peer),
            readGroup: policy.readGroup.gid == nil ? nil : policy.readGroup.name,
            adminGroup: policy.adminGroup.gid == nil ? nil : policy.adminGroup.name)
    }

    private func configReport() -> ConfigReport {
        let value = configuration.value
        let settings = context.options.settings
        var daemon: [String: String] = [
            "field_detectors": context.fieldBackends.detectors,
            "field_outputs": context.fieldBackends.outputs,
            "runtime_directory": context.options.directory,
            "read_group": settings.readGroup,
            "admin_group": settings.adminGroup,
            "max_clients": "\(settings.maxClients)",
            "amber_floor_tenths": "\(value.amberFloor)",
            "log_level": value.daemon.logLevel,
            "lock_memory": "\(value.daemon.lockMemory)",
        ]
        if let priority = value.daemon.fifoPriority { daemon["fifo_priority"] = "\(priority)" }
        return ConfigReport(
            junction: reader.builder.junction, source: configuration.source, summary: value.summary.description,
            settings: daemon)
    }

    // MARK: - Control

    private func submit(_ request: DiagnosticRequest, id: RequestID?, from session: DiagnosticSession, now: Int) {
        let builder = reader.builder
        var detectorIndex: Int?
        // What the log and the reply call the request: a call by number names the detector it reached.
        var summary = request.summary
        if case .call(let reference) = request {
            guard let index = builder.detectorIndex(reference) else {
                let names = builder.junction.detectors.map(\.name).joined(separator: ", ")
                var text = "no detector \(reference); the detectors are \(names)"
                if case .name(let name) = reference, Int(name) != nil {
                    // "1" as a JSON string is a name, and no name reads as a number.
                    text += "; by number they count from 1, as a JSON number (\"detector\": 1)"
                }
                fail(session, id, .notFound, text)
                return
            }
            detectorIndex = index
            summary = "call \(builder.junction.detectors[index].name)"
        }
        if case .plan(let name?) = request, !builder.junction.plans.contains(where: { $0.name == name }) {
            // Actuated control and the schedule are not plans by name: they are asked for otherwise.
            let plans = builder.junction.plans.isEmpty
                ? "the junction has no plans" : "the plans are \(builder.junction.plans.map(\.name).joined(separator: ", "))"
            fail(
                session, id, .notFound,
                "no plan named \(name); \(plans); actuated control and the schedule's plan are not asked for by name"
                    + " (junctionctl plan actuated, plan auto)")
            return
        }
        guard sessions.count(where: { $0.pending != nil }) < Self.maxPendingControls else {
            fail(session, id, .busy, "too many control requests waiting for the controller; try again")
            return
        }
        guard let control = Self.controlRequest(request, detectorIndex: detectorIndex),
            let audit = builder.audit(request, detectorIndex: detectorIndex, uid: session.peer.uid)
        else { return }
        // Recorded before it is queued, so the journal shows who asked ahead of what the controller did.
        let auditSequence = reader.recordAudit(audit)
        let uid = session.peer.uid
        if let passedOver = controlLog[uid, default: LogRateGate(burst: Self.controlLinesPerInterval)].admit(at: now) {
            context.logger.notice(
                "diagnostics: control \"\(summary)\" from uid \(uid) pid \(session.peer.pid) (journal #\(auditSequence))\(LogRateGate.suffix(passedOver, "control requests from uid \(uid)"))")
        }
        guard let ticket = context.engine.mailbox.post(control) else {
            fail(session, id, .unavailable, "the control loop's mailbox is full; the request was not queued")
            return
        }
        counters.controlCommands += 1
        session.pending = DiagnosticSession.PendingControl(
            ticket: ticket, requestID: id, summary: summary, auditSequence: auditSequence,
            deadlineNanoseconds: now + context.options.controlTimeoutMilliseconds * 1_000_000)
    }

    private static func controlRequest(_ request: DiagnosticRequest, detectorIndex: Int?) -> ControlRequest? {
        switch request {
        // A technician's flash uses the automatic-flash rule like every other flash entry:
        // minimum greens and clearances are served first.
        case .flash(let on): return .flash(on: on, reason: .manual)
        case .hold(let on): return .hold(on)
        case .advance: return .advance
        case .call: return detectorIndex.map { .forceCall(detector: $0) }
        case .plan(let name): return .selectPlan(name)
        case .planAuto: return .releaseOverride
        case .resetFault: return .resetFault
        case .hello, .status, .detectors, .events, .counts, .config, .subscribe, .unsubscribe: return nil
        }
    }

    private func collectOutcome(_ session: DiagnosticSession, now: Int) {
        guard let pending = session.pending else { return }
        let timedOut: String
        switch context.engine.mailbox.answer(for: pending.ticket) {
        case .answered(let outcome):
            session.pending = nil
            switch outcome {
            case .accepted:
                let report = ControlReport(command: pending.summary, outcome: "accepted", auditSequence: pending.auditSequence)
                session.queue(ResponseLine.reply(id: pending.requestID, "control", data: report))
            case .refused(let why):
                fail(session, pending.requestID, .refused, why)
            }
            return
        case .forgotten:
            timedOut = "the control loop handled the command, but its answer was lost among other requests"
        case .pending where now > pending.deadlineNanoseconds:
            timedOut = "no answer from the control loop within \(context.options.controlTimeoutMilliseconds) ms"
        case .pending:
            return
        }
        session.pending = nil
        counters.timeouts += 1
        fail(session, pending.requestID, .timeout, "\(timedOut); check `junctionctl status`")
    }

    // MARK: - Subscriptions

    private func feedSubscriptions(_ session: DiagnosticSession, now: Int) {
        if let cursor = session.eventsCursor, cursor < reader.sample.journalLastSequence,
            session.pendingOutputBytes < Self.readPauseBytes
        {
            let page = reader.events(since: cursor, limit: DiagnosticProtocol.maxEventsPerReply)
            if let last = page.events.last {
                session.eventsCursor = last.sequence
                session.queue(ResponseLine.stream(.events, data: page))
            }
        }
        if let interval = session.stateIntervalNanoseconds, now >= session.nextStateNanoseconds,
            reader.sample.status.tick != session.lastStateTick
        {
            session.nextStateNanoseconds = now + interval
            guard session.pendingOutputBytes < Self.readPauseBytes else {
                counters.framesSkipped += 1
                return
            }
            session.lastStateTick = reader.sample.status.tick
            session.queue(stateLine(now: now))
        }
    }

    /// The `status` reply, and the payload of every `state` stream line: the controller's and the
    /// server's state and the side services' reports.
    private func status(now: Int) -> StatusReport {
        var status = reader.status(server: counters, nowNanoseconds: now)
        status.services = context.server.serviceReports()
        return status
    }

    /// One state line per tick, shared by every subscriber.
    private func stateLine(now: Int) -> [UInt8] {
        let tick = reader.sample.status.tick
        if let cachedState, cachedState.tick == tick { return cachedState.line }
        let line = ResponseLine.stream(.state, data: status(now: now))
        cachedState = (tick, line)
        return line
    }
}
