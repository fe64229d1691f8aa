import FieldIO
import JunctionConfig
import SignalCore
import Synchronization
import SystemInterface

/// The work of one control tick: read detectors, step the controller, drive and check the lamps,
/// toggle the watchdog line, and publish what happened.
///
/// Confined to the real-time thread (hence `@unchecked Sendable`): other threads touch only
/// `board`, `mailbox`, `postReload`, the immutable `detectorNames` and `neighbours?.exchange`.
///
/// The tick contract (enforced by `TickAllocationTests`):
/// - **No allocation**, in steady state and across a reload: a reload is built entirely by the
///   caller of `postReload` (controller, strategy, field monitor, status) and taken over at the
///   next stage rest by swapping references and copying state in place; what it replaces goes back
///   through the mailbox to be released off the tick.
/// - **One exchange per direction**: requests and reloads come in through one `mailbox` exchange
///   at the start of the tick (which also hands back the previous tick's outcomes), and status,
///   events, counters and detector totals go out under one `board` lock at the end. Both locks are
///   priority-inheriting and held only for copies. The backends add their own: none for the
///   simulated junction and the GPIO lamps, one for the GPIO detector inputs, one for Modbus
///   detector inputs and two for Modbus lamps (command, read-back).
/// - **What I/O it does, and why**: GPIO lamp outputs, their read-back and the watchdog line are
///   written and read on the tick itself (`GPIOSignalOutputs`: two or three ioctls per chip on a
///   memory-mapped controller, microseconds, no thread or queue between the controller and the
///   lamps, so the monitor checks what the lamps show in the same tick). Modbus is never touched
///   on the tick: the command and read-back are exchanged with the link threads through
///   `ModbusOutputBoard`, and a changed command writes one byte to a wake pipe so the link thread
///   sends it at once. GPIO detector edges are read by their own event thread. Nothing on the tick
///   logs, reads a file or waits on a peer.
public final class JunctionEngine: @unchecked Sendable {
    public let board: Mutex<LiveBoard>
    public let mailbox: RequestMailbox
    /// The detectors the engine was started with, in order; a reload cannot change them.
    public let detectorNames: [String]
    /// The junction the engine was started with; a reload cannot change its groups either (the
    /// outputs and the monitors' histories are wired by group).
    private let startedWith: Junction
    /// The tick's side of the neighbour link (`[neighbours]`), nil for an isolated junction. Other
    /// threads touch only its `exchange`.
    public let neighbours: NeighbourLink?
    /// The time-of-day schedule's latest outlook (`ScheduleDriver`), nil without a schedule. The
    /// tick never touches it.
    public let scheduleOutlook = Mutex<ScheduleOutlook?>(nil)

    private var controller: SignalController
    private let inputs: DetectorInputs
    private let outputs: SignalOutputs
    private var fieldMonitor: SafetyMonitor
    private var snapshot: DetectorSnapshot
    private var readBack: [SignalState]
    private var counters = EngineCounters()
    private var side: RequestMailbox.TickSide
    /// The reload taken over this tick, whose status the publish swaps in before handing it back.
    private var handedOver: RequestMailbox.Reload?
    /// A wake-up later than this is a tick stall (event 207).
    private let tickStallLimitNanoseconds: Int
    /// The stall this tick woke from, in milliseconds, published as event 207 before its own events.
    private var stallMilliseconds: Int?
    /// Where the journal's wall-clock stamps come from (read once per tick with events).
    private let wallClock: any WallClock

    /// - Parameters:
    ///   - adaptive: the `[adaptive]` strategy that proposes green times inside the safety envelope.
    ///   - restoredFault: a monitor fault persisted before a restart; the junction stays in fault
    ///     flash until a technician resets it.
    ///   - neighbours: the `[neighbours]` section; the engine then projects its outflow every tick,
    ///     trades it for the neighbours' forecast once a second (`NeighbourLink`), and the strategy
    ///     reads that forecast. A reload keeps the link the engine was started with.
    ///   - tickStallLimitNanoseconds: a tick that wakes later than this after it was due is a
    ///     stall: event 207 with the measured stall in milliseconds, counted in `EngineCounters`.
    ///   - wallClock: stamps journal entries with the time of day; never used for control timing.
    public init(
        junction: Junction, inputs: DetectorInputs, outputs: SignalOutputs, adaptive: AdaptiveSettings = AdaptiveSettings(),
        restoredFault: SafetyViolation? = nil, journalCapacity: Int = 8192, neighbours: NeighbourSettings? = nil,
        tickStallLimitNanoseconds: Int = DaemonSettings.defaultTickStallLimitMilliseconds * 1_000_000,
        wallClock: any WallClock = SystemWallClock()
    ) {
        precondition(tickStallLimitNanoseconds > 0, "a stall limit is positive")
        self.tickStallLimitNanoseconds = tickStallLimitNanoseconds
        self.wallClock = wallClock
        precondition(inputs.detectorCount == junction.detectors.count, "one input per detector")
        precondition(outputs.groupCount == junction.groups.count, "one output per group")
        self.neighbours = neighbours.map { NeighbourLink(settings: $0, junction: junction, adaptive: adaptive) }
        controller = SignalController(
            junction: junction, restoredFault: restoredFault,
            strategy: adaptive.makeStrategy(for: junction, neighbours: self.neighbours?.arrivals))
        self.inputs = inputs
        self.outputs = outputs
        detectorNames = junction.detectors.map(\.name)
        startedWith = junction
        fieldMonitor = SafetyMonitor(junction: junction)
        snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        readBack = controller.signals
        board = Mutex(LiveBoard(status: controller.status, journalCapacity: journalCapacity))
        mailbox = RequestMailbox()
        side = RequestMailbox.TickSide(capacity: mailbox.capacity)
    }

    /// The junction the controller runs now (changes after a reload).
    public var junction: Junction { controller.junction }

    /// Prepares `junction` with its `[adaptive]` strategy on the calling thread (never the loop's)
    /// and offers it to the loop, replacing a reload still waiting; returns the ticket under which
    /// `mailbox.reloadOutcome(of:)` reports it. The loop applies it at the next stage rest, or refuses it.
    public func postReload(_ junction: Junction, adaptive: AdaptiveSettings = AdaptiveSettings()) -> RequestMailbox.ReloadTicket {
        // The successor reads the same forecast: the link is the engine's, kept across reloads.
        let successor = SignalController(
            junction: junction, strategy: adaptive.makeStrategy(for: junction, neighbours: neighbours?.arrivals))
        return mailbox.post(
            RequestMailbox.Reload(
                controller: successor, fieldMonitor: SafetyMonitor(junction: junction),
                // Detached: a status sharing the successor's arrays would make its first step copy them.
                status: successor.status.detached(), refusal: reloadRefusal(for: junction)))
    }

    /// Why the loop refuses `junction` as a reload whatever moment it comes at, or nil: changed
    /// detectors or groups, which only a restart rewires. Safe on any thread (it compares with what
    /// the engine started with), so a reload can be refused when the file is read rather than a
    /// stage rest later.
    public func reloadRefusal(for junction: Junction) -> String? {
        if junction.detectors.map(\.name) != detectorNames {
            return "the detectors changed; restart the service to rewire them"
        }
        if !junction.hasSameGroupLayout(as: startedWith) {
            return SignalController.HandoverError.groupLayoutChanged.description
        }
        return nil
    }

    /// Runs tick `tick` (tenths of a second since start; one more than the last call), which woke
    /// `wakeDelayNanoseconds` after it was due (`RealTimeLoop.wakeDelayNanoseconds`).
    public func tick(_ tick: Tenths, wakeDelayNanoseconds: Int = 0) {
        if wakeDelayNanoseconds > tickStallLimitNanoseconds {
            let milliseconds = wakeDelayNanoseconds / 1_000_000
            stallMilliseconds = milliseconds
            counters.tickStalls += 1
            counters.lastTickStallMilliseconds = milliseconds
            counters.longestTickStallMilliseconds = max(counters.longestTickStallMilliseconds, milliseconds)
        }
        mailbox.exchange(&side)
        handleRequests()
        // At a stage rest as this tick's requests leave the controller: a flash asked for in the
        // same exchange as a reload keeps it waiting, where taking it first got it refused.
        if side.reloadWaiting && side.reload == nil && controller.isAtStageRest {
            mailbox.takeReload(&side)
        }
        handleReload()
        inputs.fill(&snapshot, tick: tick)
        controller.step(tick: tick, detectors: snapshot)
        neighbours?.tick(tick, detectors: snapshot, signals: controller.signals)
        outputs.apply(controller.signals, tick: tick)
        let confirmed = outputs.readBack(into: &readBack)
        if controller.fault == nil {
            // While the lamps cannot be read back, the stopped watchdog line leaves the cabinet in
            // charge; following the commanded states meanwhile keeps the field monitor's interval
            // timers continuous, so the first read-back after an outage is judged against the
            // history the lamps actually had rather than against the last one before the outage.
            let violation =
                confirmed
                ? fieldMonitor.checkReadBack(tick: tick, commanded: controller.signals, shown: readBack)
                : fieldMonitor.check(tick: tick, states: controller.signals)
            if let violation { controller.reportFieldFault(violation) }
        }
        if confirmed && controller.fault == nil {
            outputs.toggleWatchdog()
            counters.watchdogToggles += 1
        } else if !confirmed {
            counters.unconfirmedOutputTicks += 1
        }
        counters.detectors = inputs.detectorCounters
        counters.outputs = outputs.outputCounters
        counters.requestsDropped = side.dropped
        publish()
    }

    private func publish() {
        board.withLock { board in
            if let reload = handedOver {
                // The status sized for the new strategy goes in; the old one goes back with the reload.
                swap(&board.status, &reload.status)
            }
            controller.writeStatus(into: &board.status)
            if stallMilliseconds != nil || !controller.tickEvents.isEmpty {
                let wallMilliseconds = wallClock.nanosecondsSinceEpoch() / 1_000_000
                if let stall = stallMilliseconds.take() {
                    board.journal.append(
                        ControllerEvent(tick: board.status.tick, code: .tickStall, parameter: min(stall, Int(Int32.max))),
                        wallMilliseconds: wallMilliseconds)
                }
                for event in controller.tickEvents { board.journal.append(event, wallMilliseconds: wallMilliseconds) }
            }
            board.counters = counters
            board.detectorTotals.add(snapshot)
            board.ticks += 1
        }
        if let reload = handedOver.take() {
            side.retire(reload)
        }
    }

    private func handleRequests() {
        for index in 0..<side.requestCount {
            let (ticket, request) = side.requests[index]
            let outcome = controller.submit(request)
            if request == .resetFault && outcome == .accepted {
                fieldMonitor.reset()
            }
            side.finish(ticket, outcome)
        }
    }

    private func handleReload() {
        if side.reloadWaiting {
            counters.reloadWaitTicks += 1
        }
        guard let reload = side.reload.take() else { return }
        if let refusal = reload.refusal {
            refuse(reload, refusal)
            return
        }
        do {
            try reload.controller.takeOver(from: controller)
        } catch {
            refuse(reload, error.description)
            return
        }
        reload.fieldMonitor.continueWatching(from: fieldMonitor)
        swap(&controller, &reload.controller)
        swap(&fieldMonitor, &reload.fieldMonitor)
        counters.reloadsApplied += 1
        side.finishReload(reload, .accepted)
        handedOver = reload
    }

    private func refuse(_ reload: RequestMailbox.Reload, _ why: String) {
        counters.reloadsRefused += 1
        side.finishReload(reload, .refused(why))
        side.retire(reload)
    }
}
