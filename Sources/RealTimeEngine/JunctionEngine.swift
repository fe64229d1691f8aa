import FieldIO
import SignalCore
import Synchronization

/// The work of one control tick: read detectors, step the controller, drive and check the lamps,
/// toggle the watchdog line, and publish what happened.
///
/// Confined to the real-time thread (hence `@unchecked Sendable`: only `board` and `mailbox`,
/// which lock, are touched from other threads). A steady-state tick allocates nothing and never
/// waits on I/O: backends hand over snapshots, and the board's lock is held only for copies.
/// Allocation happens only while a reload is being applied.
public final class JunctionEngine: @unchecked Sendable {
    public let board: Mutex<LiveBoard>
    public let mailbox: RequestMailbox

    private var controller: SignalController
    private let inputs: DetectorInputs
    private let outputs: SignalOutputs
    private var fieldMonitor: SafetyMonitor
    private var snapshot: DetectorSnapshot
    private var readBack: [SignalState]
    private var counters = EngineCounters()

    /// - Parameters:
    ///   - adaptive: the `[adaptive]` strategy that proposes green times inside the safety envelope.
    ///   - restoredFault: a monitor fault persisted before a restart; the junction stays in fault
    ///     flash until a technician resets it.
    public init(
        junction: Junction, inputs: DetectorInputs, outputs: SignalOutputs, adaptive: AdaptiveSettings = AdaptiveSettings(),
        restoredFault: SafetyViolation? = nil, journalCapacity: Int = 8192
    ) {
        precondition(inputs.detectorCount == junction.detectors.count, "one input per detector")
        precondition(outputs.groupCount == junction.groups.count, "one output per group")
        controller = SignalController(
            junction: junction, restoredFault: restoredFault, strategy: adaptive.makeStrategy(for: junction))
        self.inputs = inputs
        self.outputs = outputs
        fieldMonitor = SafetyMonitor(junction: junction)
        snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        readBack = controller.signals
        board = Mutex(LiveBoard(status: controller.status, journalCapacity: journalCapacity))
        mailbox = RequestMailbox()
    }

    /// The junction the controller runs now (changes after a reload).
    public var junction: Junction { controller.junction }

    /// Runs tick `tick` (tenths of a second since start; one more than the last call).
    public func tick(_ tick: Tenths) {
        handleRequests()
        handleReload()
        inputs.fill(&snapshot, tick: tick)
        controller.step(tick: tick, detectors: snapshot)
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
        counters.requestsDropped = mailbox.dropped
        publish()
    }

    private func publish() {
        board.withLock { board in
            controller.writeStatus(into: &board.status)
            for event in controller.tickEvents { board.journal.append(event) }
            board.counters = counters
            board.detectorTotals.add(snapshot)
            board.ticks += 1
        }
    }

    private func handleRequests() {
        while let (id, request) = mailbox.take() {
            let outcome = controller.submit(request)
            if request == .resetFault && outcome == .accepted {
                fieldMonitor.reset()
            }
            mailbox.finish(id, outcome)
        }
    }

    private func handleReload() {
        guard let reload = mailbox.peekReload() else { return }
        let current = controller.junction
        guard reload.junction.detectors.map(\.name) == current.detectors.map(\.name) else {
            counters.reloadsRefused += 1
            mailbox.finish(reload.id, .refused("the detectors changed; restart the service to rewire them"))
            return
        }
        do {
            let next = try SignalController(
                junction: reload.junction, handoverFrom: controller,
                strategy: reload.adaptive.makeStrategy(for: reload.junction))
            fieldMonitor = SafetyMonitor(junction: reload.junction, continuing: fieldMonitor)
            controller = next
            counters.reloadsApplied += 1
            mailbox.finish(reload.id, .accepted)
        } catch .notAtSafePoint {
            counters.reloadWaitTicks += 1
        } catch {
            counters.reloadsRefused += 1
            mailbox.finish(reload.id, .refused(error.description))
        }
    }
}
