import Coordination
import Diagnostics
import JunctionConfig
import Logging
import RealTimeEngine
import SignalCore
import Synchronization
import SystemInterface
import UpstreamLink
import Wire

/// The neighbour thread: receives, checks and merges the neighbours' outflow profiles, and
/// seals and sends this junction's own, on a UDP socket of its own (`[neighbours] listen`).
///
/// It is the network side of the link; the engine's `NeighbourLink` is the tick side, and they
/// meet only in the engine's `NeighbourExchange`, so the tick never waits on the network. Every
/// datagram goes through one `NeighbourReceiver`: a silent, late, replayed, forged or otherwise
/// refused neighbour message is counted, logged (at most one line per neighbour and reason every
/// `LogRateGate.intervalNanoseconds`) and changes nothing; a neighbour silent past `stale_after` is
/// dropped from the forecast and the junction runs on its own loops until it is heard again.
final class NeighbourService: @unchecked Sendable {
    /// Why the service could not start.
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    /// Longest sleep between looks at the exchange: profiles made on a whole second leave within this.
    static let wakeMilliseconds = 50
    /// Most datagrams taken per pass: under a flood (each one an HMAC check) the pass still goes on
    /// to expire, hand over the forecast and send, and the rest wait in the socket for the next.
    static let datagramsPerPass = 256

    /// What `junctionctl status` and the upstream report read, copied after every pass.
    struct Snapshot: Sendable {
        var counters: NeighbourCounters
        /// Per neighbour: profiles sent to it, and sends the kernel refused.
        var sent: [UInt64]
        var sendErrors: [UInt64]
        /// Per neighbour: vehicles it reported leaving toward this junction (its measured last
        /// second, times this junction's inflow shares), summed over the profiles accepted.
        var announced: [Double]
        /// Datagrams the kernel discarded with the socket's buffer full.
        var kernelDrops: UInt64
        /// The engine's tick when the snapshot was taken.
        var tick: Tenths
    }

    let settings: NeighbourSettings
    private let engine: JunctionEngine
    private let exchange: NeighbourExchange
    private let logger: Logger
    private let socket: UpstreamSocket
    private let stopRequested = Atomic<Bool>(false)
    private let published: Mutex<Snapshot>
    private var thread: PosixThread?

    private var receiver: NeighbourReceiver
    /// Seals the profiles the tick made (its own projection is not used: the tick projects).
    private var sender: NeighbourSender
    private var profiles: [OutflowProfile]
    private var lastMade: Tenths?
    private var snapshot: Snapshot
    private var buffer = [UInt8](repeating: 0, count: 2048)
    /// The log lines about refusals, one gate per (neighbour or unattributed, reason).
    private var dropLog: [Int: LogRateGate] = [:]

    /// The UDP port neighbour messages arrive at.
    var localPort: UInt16 { socket.localPort() }

    /// Opens the socket and starts the thread when `configuration` has `[neighbours]` and the
    /// engine was made with its link; nil without the section.
    static func start(
        configuration: JunctionConfiguration, engine: JunctionEngine, stateDirectory: String, logger: Logger
    ) throws(StartupError) -> NeighbourService? {
        guard let settings = configuration.neighbours, let link = engine.neighbours else { return nil }
        var keys: [WireKey] = []
        for neighbour in settings.neighbours {
            do {
                keys.append(try UpstreamRuntime.loadKey(neighbour.key))
            } catch {
                throw StartupError(description: "neighbour \(neighbour.junctionId): \(error)")
            }
        }
        let boot = NeighbourBootRecord(directory: stateDirectory)
            .next(nowMicroseconds: UInt64(max(0, Clocks.realtimeNanoseconds() / 1000)))
        if let problem = boot.problem {
            logger.error("neighbours: \(problem); boot id \(boot.bootId) from what could be read and the clock")
        }
        let service: NeighbourService
        do {
            service = try NeighbourService(
                settings: settings, keys: keys, engine: engine, link: link, bootId: boot.bootId, logger: logger)
            try service.start()
        } catch {
            throw StartupError(description: "cannot open the neighbour socket on \(settings.listen): \(error)")
        }
        let names = settings.neighbours.map { "\($0.junctionId) at \($0.address)" }.joined(separator: ", ")
        logger.notice("neighbours: junction \(settings.junctionId) on port \(service.localPort), exchanging with \(names)")
        return service
    }

    init(
        settings: NeighbourSettings, keys: [WireKey], engine: JunctionEngine, link: NeighbourLink, bootId: UInt64,
        logger: Logger
    ) throws(SystemError) {
        self.settings = settings
        self.engine = engine
        self.logger = logger
        exchange = link.exchange
        socket = try UpstreamSocket(binding: settings.listen)
        receiver = NeighbourReceiver(
            settings: settings, keys: keys,
            arrivals: NeighbourArrivals(groupCount: engine.junction.groups.count, neighbours: settings))
        sender = NeighbourSender(
            settings: settings, keys: keys, junction: engine.junction, adaptive: link.adaptive, bootId: bootId)
        profiles = NeighbourExchange.emptyProfiles(settings.neighbours.count)
        let count = settings.neighbours.count
        snapshot = Snapshot(
            counters: NeighbourCounters(neighbours: count), sent: Array(repeating: 0, count: count),
            sendErrors: Array(repeating: 0, count: count), announced: Array(repeating: 0, count: count),
            kernelDrops: 0, tick: 0)
        published = Mutex(snapshot)
    }

    func start() throws(SystemError) {
        thread = try PosixThread(name: "neighbours") { [self] in run() }
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        thread?.join()
        thread = nil
    }

    /// The counters as of the last pass.
    func counters() -> Snapshot { published.withLock { $0 } }

    private func run() {
        while !stopRequested.load(ordering: .relaxed) {
            if socket.waitReadable(timeoutMilliseconds: Self.wakeMilliseconds) {
                receiveSome()
            }
            let tick = currentTick()
            let wasFresh = receiver.counters.links.map(\.fresh)
            receiver.expire(tick: tick)
            for (n, fresh) in wasFresh.enumerated() where fresh && !receiver.counters.links[n].fresh {
                logger.warning(
                    "neighbour \(settings.neighbours[n].junctionId) silent for more than \(JunctionValidator.seconds(settings.staleAfterTenths)); running without its forecast until it is heard again")
            }
            exchange.offer(receiver.arrivals)
            if let made = exchange.takeOutflow(madeAfter: lastMade, into: &profiles) {
                lastMade = made
                sendProfiles()
            }
            snapshot.counters = receiver.counters
            snapshot.kernelDrops = socket.kernelDrops
            snapshot.tick = tick
            published.withLock { $0 = snapshot }
        }
    }

    /// The engine's tick: ticks completed since it started.
    private func currentTick() -> Tenths { Tenths(engine.board.withLock { $0.ticks }) }

    // MARK: - Receiving

    private func receiveSome() {
        var taken = 0
        // A pass that stops at the limit reads the kernel's drop count itself, as upstream's does:
        // the queue may be empty by then, and an empty queue wakes no later pass to find it so.
        defer { if taken == Self.datagramsPerPass { socket.readKernelDrops() } }
        while taken < Self.datagramsPerPass, let (count, _) = socket.receive(into: &buffer) {
            taken += 1
            // The source address is not trusted: the key, the header and the replay window decide.
            let datagram = count > buffer.count ? buffer[...] + [0] : buffer[0..<count]
            let tick = currentTick()
            let wasHeard = receiver.counters.links.map { $0.lastHeardTick != nil && !$0.fresh }
            let verdict = receiver.accept(
                datagram: datagram, tick: tick, wallMilliseconds: UInt64(max(0, Clocks.realtimeNanoseconds() / 1_000_000)))
            switch verdict {
            case .accepted(let n, let profile, _):
                if wasHeard[n] {
                    logger.notice("neighbour \(settings.neighbours[n].junctionId) heard again; its forecast is used again")
                }
                if let measured = profile.vehicles.first, profile.startTenths < 0 {
                    snapshot.announced[n] += measured * settings.neighbours[n].inflow.reduce(0) { $0 + $1.share }
                }
            case .dropped(let reason, let n):
                logDrop(reason, neighbour: n)
            }
        }
    }

    /// Logs a refusal, at most once per neighbour and reason every `LogRateGate.intervalNanoseconds`,
    /// saying how many more there were since the last line.
    private func logDrop(_ reason: NeighbourDropReason, neighbour n: Int?) {
        let key = ((n ?? -1) + 1) * NeighbourDropReason.allCases.count + reason.rawValue
        guard let passedOver = dropLog[key, default: LogRateGate()].admit(at: Clocks.monotonicNanoseconds()) else { return }
        let from = n.map { "neighbour \(settings.neighbours[$0].junctionId)" } ?? "an unknown sender"
        logger.warning("neighbour message from \(from) dropped: \(reason)\(LogRateGate.suffix(passedOver, "refusals"))")
    }

    // MARK: - Sending

    private func sendProfiles() {
        let now = UInt64(max(0, Clocks.realtimeNanoseconds() / 1_000_000))
        for (n, neighbour) in settings.neighbours.enumerated() where !neighbour.outflow.isEmpty {
            let bytes = sender.seal(profile: profiles[n], neighbour: n, wallMilliseconds: now)
            if socket.send(bytes, to: neighbour.address) {
                snapshot.sent[n] += 1
            } else {
                snapshot.sendErrors[n] += 1
            }
        }
    }
}

extension NeighbourService.Snapshot {
    /// One side service of `junctionctl status` per neighbour, named `neighbour-<id>`: its state
    /// (`fresh` while its forecast is in use, `stale` once it fell silent, `silent` before it was
    /// ever heard) and its counters by the names docs/config.md gives.
    /// First comes `neighbours`: how many are fresh, the refusals that name no neighbour (an unknown
    /// sender, a frame too broken to name one) and the kernel's drops.
    func serviceReports(_ settings: NeighbourSettings) -> [Diagnostics.StatusReport.Service] {
        var link: [String: UInt64] = ["kernel_drops": kernelDrops]
        for reason in NeighbourDropReason.allCases { link["unattributed_drop_\(reason)"] = counters.unattributed[reason.rawValue] }
        let fresh = counters.links.filter(\.fresh).count
        let overall = Diagnostics.StatusReport.Service(
            name: "neighbours", state: "\(fresh)-of-\(counters.links.count)-fresh", counters: link)
        return [overall] + settings.neighbours.enumerated().map { n, neighbour in
            let link = counters.links[n]
            var values: [String: UInt64] = [
                "accepted": link.accepted, "stale_events": link.staleEvents, "recoveries": link.recoveries,
                "sent": sent[n], "send_errors": sendErrors[n], "arrivals_announced": UInt64(announced[n].rounded()),
            ]
            for reason in NeighbourDropReason.allCases { values["drop_\(reason)"] = link[reason] }
            if let heard = link.lastHeardTick {
                values["last_heard_ms"] = UInt64(max(0, tick - heard)) * 100
                values["last_age_ms"] = UInt64(max(0, link.lastAgeTenths)) * 100
            }
            let state = link.fresh ? "fresh" : link.lastHeardTick == nil ? "silent" : "stale"
            return Diagnostics.StatusReport.Service(name: "neighbour-\(neighbour.junctionId)", state: state, counters: values)
        }
    }

    /// The neighbour counters of the upstream status report (docs/protocol.md), summed over the neighbours.
    var statusCounters: [StatusCounter: UInt64] {
        let drops: [(NeighbourDropReason, StatusCounter)] = NeighbourDropReason.allCases.map { reason in
            switch reason {
            case .malformed: return (reason, .neighbourDropMalformed)
            case .unauthenticated: return (reason, .neighbourDropUnauthenticated)
            case .unknownSender: return (reason, .neighbourDropUnknownSender)
            case .notForMe: return (reason, .neighbourDropNotForMe)
            case .replayed: return (reason, .neighbourDropReplayed)
            case .late: return (reason, .neighbourDropLate)
            case .superseded: return (reason, .neighbourDropSuperseded)
            }
        }
        let fresh = UInt64(counters.links.filter(\.fresh).count)
        var values: [StatusCounter: UInt64] = [
            .neighbourProfilesSent: sent.reduce(0, &+), .neighbourSendErrors: sendErrors.reduce(0, &+),
            .neighbourProfilesAccepted: counters.links.reduce(0) { $0 &+ $1.accepted },
            .neighbourDropKernelOverflow: kernelDrops,
            .neighbourStaleEvents: counters.links.reduce(0) { $0 &+ $1.staleEvents },
            .neighbourRecoveries: counters.links.reduce(0) { $0 &+ $1.recoveries },
            .neighboursFresh: fresh, .neighboursStale: UInt64(counters.links.count) - fresh,
        ]
        for (reason, counter) in drops { values[counter] = counters.drops(reason) }
        return values
    }
}
