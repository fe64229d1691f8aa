/// The junction controller: one deterministic step per tick, from detector inputs to lamp states.
///
/// Guarantees, for a junction that passes `JunctionValidator`:
/// - every commanded state is checked by an internal `SafetyMonitor` before it is published;
///   a breach latches fault flash at once and only `ControlRequest.resetFault` leaves it;
/// - it starts in startup flash, then all-red, then the first stage of the sequence, so the
///   lamps' state before a restart does not matter;
/// - every green lasts its minimum, every clearance its full time, and no green starts before
///   its intergreen from every conflicting green has passed; red+amber comes only right before green;
/// - requests (hold, advance, flash, plan) take effect only at safe points;
/// - a preempt call is served by the same rules (see the Preemption extension below);
/// - the same inputs give the same outputs, and a steady-state step allocates nothing.
public final class SignalController {
    static let never: Tenths = Int.min / 4

    public let junction: Junction
    private var monitor: SafetyMonitor
    private var supervisor: DetectorSupervisor
    /// The adaptive layer, if any: it proposes extensions and cuts, the rules below decide.
    private let adaptiveStrategy: (any GreenTimingStrategy)?
    /// The strategy that decides now: none while a plan selection pauses it (`PlanSelection.actuated`).
    private var strategy: (any GreenTimingStrategy)? { adaptiveOn ? adaptiveStrategy : nil }
    private var buffer: EventBuffer

    // Topology, computed once.
    private let groupCount: Int
    private let stageMembers: [[Bool]]
    private let conflictsOf: [[Int]]
    private let callDetectorsOf: [[Int]]
    private let extendDetectorsOf: [[Int]]
    private let interstageAfter: [Tenths]

    // Per group.
    private var state: [SignalState]
    private var stateSince: [Tenths]
    private var greenStart: [Tenths]
    private var greenEnd: [Tenths]
    private var lockedCall: [Bool]
    private var demand: [Bool]
    private var entering: [Bool]
    private var extendUntil: [Tenths]
    private var maxTimerStart: [Tenths]
    private var minCompleteSent: [Bool]
    private var failMaxRecall: [Bool]
    private var failMinRecall: [Bool]
    private var termination: [TerminationReason]
    /// Since when each group has had demand while closed (red or don't walk; `never` when it has
    /// none): the wait that `SignalGroup.maxWait` bounds. A clearance is still its own service.
    private var waitingSince: [Tenths]

    // Sequencing.
    private var mode: ControllerMode
    private var modeUntil: Tenths = 0
    private var tick: Tenths = 0
    private var sequencePosition = 0
    private var targetPosition: Int?
    private var inTransition = false
    private var stageStart: Tenths = 0
    private var holdActive = false
    private var advancePending = false
    private var flashRequest: FlashReason?
    /// The flash the lamps show (or last showed), reported by `flashEnded` when it ends; the
    /// startup flash after a fault reset reports the fault flash it continues.
    private var flashShown = FlashReason.startup
    private var activePlan: Int?
    /// Whether the buffer holds the last step's events (read by now); the next submit or step clears them.
    private var stepped = false

    // Plan selection (schedule and technician).
    /// A plan choice resolved to indices: the fixed-time plan (nil: free operation) and whether the
    /// adaptive strategy runs in free operation.
    private struct PlanChoice: Equatable {
        var plan: Int?
        var adaptive: Bool
        static let free = PlanChoice(plan: nil, adaptive: true)
    }
    private var adaptiveOn = true
    private var planSource = PlanSource.startup
    /// A choice taken but not yet applied: it waits for the next safe point (`applyPendingPlan`).
    private var pendingPlan: PlanChoice?
    /// The schedule's latest choice, which runs again when an override is released.
    private var scheduledPlan: PlanChoice?

    // Preemption (the extension at the end of this file).
    private var preemptInputs: PreemptInputs
    /// The preempt served (index into `junction.preempts`), its phase and since when.
    private var preempting: (index: Int, phase: PreemptPhase, since: Tenths)?
    /// The sequence position of each preempt's exit stage.
    private let preemptExitPosition: [Int]

    /// Creates a controller that starts in startup flash at the first step.
    ///
    /// - Parameter restoredFault: a monitor fault persisted before a restart; the controller
    ///   then starts in fault flash and stays there until `resetFault`.
    /// - Parameter strategy: an adaptive strategy for `junction` (see `AdaptiveSettings`); nil
    ///   runs plain actuated control.
    public init(
        junction: Junction, restoredFault: SafetyViolation? = nil, strategy: (any GreenTimingStrategy)? = nil
    ) {
        self.junction = junction
        self.adaptiveStrategy = strategy
        let groups = junction.groups.count
        groupCount = groups
        monitor = SafetyMonitor(junction: junction)
        supervisor = DetectorSupervisor(detectors: junction.detectors, startTick: 0)
        buffer = EventBuffer(capacity: 9 * groups + 4 * junction.detectors.count + 4 * junction.preempts.count + 16)
        preemptInputs = PreemptInputs(preempts: junction.preempts)
        preemptExitPosition = junction.preempts.map { preempt in
            junction.sequence.firstIndex(of: preempt.exitStage) ?? 0
        }

        stageMembers = junction.stages.map { stage in
            (0..<groups).map { stage.groups.contains($0) }
        }
        conflictsOf = (0..<groups).map { g in
            (0..<groups).filter { $0 != g && (junction.conflicts[g][$0] || junction.conflicts[$0][g]) }
        }
        callDetectorsOf = (0..<groups).map { g in
            junction.detectors.indices.filter {
                junction.detectors[$0].groups.contains(g) && junction.detectors[$0].function.calls
            }
        }
        extendDetectorsOf = (0..<groups).map { g in
            junction.detectors.indices.filter {
                junction.detectors[$0].groups.contains(g) && junction.detectors[$0].function.extends
            }
        }
        interstageAfter = junction.sequence.indices.map { position in
            let from = junction.stages[junction.sequence[position]].groups
            let to = junction.stages[junction.sequence[(position + 1) % junction.sequence.count]].groups
            var longest: Tenths = 0
            for g in from where !to.contains(g) {
                for h in to where junction.conflicts[g][h] {
                    longest = max(longest, junction.intergreen[g][h] + junction.groups[h].timing.redAmber)
                }
            }
            return longest
        }

        state = junction.groups.map { $0.flash.state(for: $0.kind) }
        stateSince = Array(repeating: 0, count: groups)
        greenStart = Array(repeating: Self.never, count: groups)
        greenEnd = Array(repeating: Self.never, count: groups)
        lockedCall = Array(repeating: false, count: groups)
        demand = Array(repeating: false, count: groups)
        entering = Array(repeating: false, count: groups)
        extendUntil = Array(repeating: 0, count: groups)
        maxTimerStart = Array(repeating: Self.never, count: groups)
        minCompleteSent = Array(repeating: false, count: groups)
        failMaxRecall = Array(repeating: false, count: groups)
        failMinRecall = Array(repeating: false, count: groups)
        termination = Array(repeating: .none, count: groups)
        waitingSince = Array(repeating: Self.never, count: groups)

        if let restoredFault {
            mode = .fault
            flashShown = .faultMonitor
            monitor.latch(restoredFault)
        } else {
            mode = .startupFlash
            modeUntil = junction.startup.flashTime
        }
    }

    /// Why a reloaded junction cannot take over from the running controller.
    public enum HandoverError: Error, Equatable, CustomStringConvertible {
        /// The running controller is in a transition, flash or startup; try again next tick.
        case notAtSafePoint(String)
        /// Groups were added, removed, renamed or changed kind: apply with a restart instead.
        case groupLayoutChanged
        /// The stage now running does not exist in the new junction's sequence.
        case currentStageMissing(String)

        public var description: String {
            switch self {
            case .notAtSafePoint(let mode): return "not at a safe point (\(mode))"
            case .groupLayoutChanged:
                return "the signal groups changed (names, kinds or order); restart the service to apply"
            case .currentStageMissing(let groups):
                return "no stage with groups \(groups) in the new sequence; the running stage must stay"
            }
        }
    }

    /// Takes over from `running` with a reloaded junction, at a stage boundary and without any
    /// lamp change: the lamps, timers, calls and the monitor's history carry over, and the new
    /// timings govern every interval that starts from now on.
    ///
    /// Only possible while `running` rests in a stage (not mid-clearance, not in flash or
    /// startup, no flash asked for) and when the groups are the same; otherwise it throws and
    /// `running` goes on.
    public convenience init(
        junction: Junction, handoverFrom running: SignalController, strategy: (any GreenTimingStrategy)? = nil
    ) throws(HandoverError) {
        try Self.checkHandover(to: junction, from: running)
        self.init(junction: junction, strategy: strategy)
        try takeOver(from: running)
    }

    /// Whether the controller rests in a stage (normal operation, no stage change under way, no
    /// flash asked for): the only moment a reloaded junction can take over. A standing flash request
    /// rules a handover out because the way into flash was bounded with the timings in force when it
    /// was asked for (the daemon's stop waits `Junction.longestFlashEntry` of them); a reload with
    /// longer ones would stretch that way past its bound.
    public var isAtStageRest: Bool { mode == .normal && !inTransition && preempting == nil && flashRequest == nil }

    /// Takes over from `running` in place, as `init(junction:handoverFrom:strategy:)` does, without
    /// allocating (except for the message of a refusal for a missing stage): the caller builds this
    /// controller, with its strategy, for the reloaded junction off the real-time thread, and the
    /// tick calls this at a stage rest. This controller must not have stepped yet.
    public func takeOver(from running: SignalController) throws(HandoverError) {
        let position = try Self.checkHandover(to: junction, from: running)
        monitor.continueWatching(from: running.monitor)
        supervisor.restart(at: running.tick)
        tick = running.tick
        mode = .normal
        sequencePosition = position
        stageStart = running.stageStart
        holdActive = running.holdActive
        flashRequest = running.flashRequest
        activePlan = samePlan(running.activePlan, of: running)
        adaptiveOn = running.adaptiveOn
        planSource = running.planSource
        if let pending = running.pendingPlan {
            pendingPlan = PlanChoice(plan: samePlan(pending.plan, of: running), adaptive: pending.adaptive)
        }
        if let scheduled = running.scheduledPlan {
            scheduledPlan = PlanChoice(plan: samePlan(scheduled.plan, of: running), adaptive: scheduled.adaptive)
        }
        // Element by element: sharing the running controller's arrays would make the first step copy them.
        for g in 0..<groupCount {
            state[g] = running.state[g]
            stateSince[g] = running.stateSince[g]
            greenStart[g] = running.greenStart[g]
            greenEnd[g] = running.greenEnd[g]
            lockedCall[g] = running.lockedCall[g]
            extendUntil[g] = running.extendUntil[g]
            maxTimerStart[g] = running.maxTimerStart[g]
            minCompleteSent[g] = running.minCompleteSent[g]
            termination[g] = running.termination[g]
            waitingSince[g] = running.waitingSince[g]
        }
    }

    /// This junction's plan with the name of `running`'s plan `old`; nil when it has none (free operation).
    private func samePlan(_ old: Int?, of running: SignalController) -> Int? {
        guard let old else { return nil }
        let name = running.junction.plans[old].name
        return junction.plans.firstIndex { $0.name == name }
    }

    /// The handover's conditions; returns the sequence position of the running stage in `junction`.
    @discardableResult
    private static func checkHandover(to junction: Junction, from running: SignalController) throws(HandoverError)
        -> Int
    {
        guard running.mode == .normal, !running.inTransition else {
            throw .notAtSafePoint(running.inTransition ? "stage change in progress" : running.mode.name)
        }
        guard running.preempting == nil else { throw .notAtSafePoint("preemption") }
        guard running.flashRequest == nil else { throw .notAtSafePoint("flash requested") }
        guard junction.hasSameGroupLayout(as: running.junction) else { throw .groupLayoutChanged }
        let runningGroups = running.junction.stages[running.junction.sequence[running.sequencePosition]].groups
        guard let position = junction.sequence.firstIndex(where: { junction.stages[$0].groups == runningGroups }) else {
            throw .currentStageMissing(runningGroups.map { running.junction.groups[$0].name }.joined(separator: "+"))
        }
        return position
    }

    /// The commanded aspect of every group after the last step, already checked by the monitor.
    public var signals: [SignalState] { state }

    /// The events emitted by the last step, oldest first, after those of the requests submitted
    /// before it (a plan override's 210, a hold's 200): a request's event is reported with the
    /// step that follows it, so the runtime, which submits before it steps, journals it.
    public var tickEvents: ArraySlice<ControllerEvent> { buffer.events }

    /// The latched safety fault, if any.
    public var fault: SafetyViolation? { monitor.latched }

    /// A FAKE fault in the sequencing, for mutation tests only (hence SPI, out of the public API):
    /// called once per step with the states the sequencing chose, after it and before the
    /// controller's own monitor checks them, so a test can prove that monitor stops what a broken
    /// sequencer would command. Nil in production, where it costs one branch per tick.
    @_spi(MutationTesting) public var sequencingFault: ((Tenths, inout [SignalState]) -> Void)?

    /// A copy of the controller's state for reports; allocates, so read it outside the tick.
    public var status: ControllerStatus {
        var status = ControllerStatus(
            tick: 0, mode: mode, stage: nil, stageStartTick: 0, inTransition: false, planName: nil,
            holdActive: false, flashRequest: nil, fault: nil, signals: [], calls: [], lastTermination: [],
            detectorHealth: [], detectorPresence: [], droppedEvents: 0, adaptive: nil, preempt: nil)
        writeStatus(into: &status)
        return status
    }

    /// Writes the controller's state into `status` in place; allocates nothing when `status`
    /// already came from this controller and its arrays are not shared, so the tick can publish it.
    public func writeStatus(into status: inout ControllerStatus) {
        status.tick = tick
        status.mode = mode
        status.stage = mode == .normal ? junction.sequence[targetPosition ?? sequencePosition] : nil
        status.stageStartTick = stageStart
        status.inTransition = inTransition
        status.planName = activePlan.map { junction.plans[$0].name }
        status.planSource = planSource
        status.planNumber = activePlan.map { $0 + 1 } ?? 0
        status.adaptiveActive = strategy != nil && activePlan == nil
        status.planPending = pendingPlan != nil
        status.holdActive = holdActive
        status.flashRequest = flashRequest
        status.fault = monitor.latched
        Self.copy(state, into: &status.signals)
        Self.copy(demand, into: &status.calls)
        Self.copy(termination, into: &status.lastTermination)
        Self.copy(supervisor.health, into: &status.detectorHealth)
        Self.copy(supervisor.presence, into: &status.detectorPresence)
        status.droppedEvents = buffer.dropped
        let leaving = mode == .normal && inTransition && targetPosition != sequencePosition
        status.leavingStage = leaving ? junction.sequence[sequencePosition] : nil
        status.intergreenRemaining = mode == .normal && inTransition ? intergreenRemaining() : 0
        if let strategy = adaptiveStrategy {
            if status.adaptive == nil { status.adaptive = AdaptiveStatus(strategy: strategy.name, groupCount: groupCount) }
            strategy.writeStatus(into: &status.adaptive!)
        }
        writePreemptStatus(into: &status)
    }

    private static func copy<Element>(_ source: [Element], into target: inout [Element]) {
        if target.count != source.count {
            target = source
            return
        }
        for index in source.indices { target[index] = source[index] }
    }

    /// Latches a fault found outside the controller (lamp read-back, a backend) into fault flash.
    public func reportFieldFault(_ violation: SafetyViolation) {
        guard mode != .fault else { return }
        monitor.latch(violation)
        latchFault(violation)
    }

    // MARK: - Requests

    /// Asks for a change of operation. The answer says whether it was taken; a taken request is
    /// applied at the next safe point, within every minimum and intergreen.
    public func submit(_ request: ControlRequest) -> RequestOutcome {
        startNewEvents()
        switch request {
        case .resetFault:
            guard mode == .fault else { return .refused("no safety fault is latched") }
            monitor.reset()
            mode = .startupFlash
            modeUntil = tick + junction.startup.flashTime
            buffer.emit(tick, .alarmStatus, 0)
            return .accepted
        case .forceCall(let detector):
            guard junction.detectors.indices.contains(detector) else {
                return .refused("no detector number \(detector + 1)")
            }
            supervisor.force(detector)
            return .accepted
        case .hold(let on):
            guard !on || mode == .normal else { return .refused("hold needs normal operation, mode is \(mode.name)") }
            holdActive = on
            buffer.emit(tick, .manualControl, on ? 1 : 0)
            return .accepted
        case .advance:
            guard mode == .normal else { return .refused("advance needs normal operation, mode is \(mode.name)") }
            advancePending = true
            buffer.emit(tick, .manualControl, 2)
            return .accepted
        case .flash(let on, let reason):
            guard mode != .fault else { return .refused("a safety fault is latched; reset it first") }
            flashRequest = on ? reason : nil
            return .accepted
        case .selectPlan(let name):
            let choice: PlanChoice
            if let name {
                guard let index = junction.plans.firstIndex(where: { $0.name == name }) else {
                    return .refused("no plan named \(name)")
                }
                choice = PlanChoice(plan: index, adaptive: true)
            } else {
                choice = .free
            }
            if planSource != .override {
                planSource = .override
                buffer.emit(tick, .scheduleOverride, 1)
            }
            pendingPlan = choice
            return .accepted
        case .schedule(let selection):
            let choice: PlanChoice
            switch resolve(selection) {
            case .success(let resolved): choice = resolved
            case .failure(let refusal): return .refused(refusal.description)
            }
            scheduledPlan = choice
            // Kept for `releaseOverride`; a technician's plan holds meanwhile.
            guard planSource != .override else { return .accepted }
            planSource = .schedule
            pendingPlan = choice
            return .accepted
        case .releaseOverride:
            guard planSource == .override else { return .refused("no technician plan override is in force") }
            planSource = scheduledPlan == nil ? .startup : .schedule
            buffer.emit(tick, .scheduleOverride, 0)
            pendingPlan = scheduledPlan ?? .free
            return .accepted
        }
    }

    /// Why a plan selection cannot run on this junction.
    private struct PlanRefusal: Error, CustomStringConvertible {
        var description: String
    }

    private func resolve(_ selection: PlanSelection) -> Result<PlanChoice, PlanRefusal> {
        switch selection {
        case .fixedTime(let name):
            guard let index = junction.plans.firstIndex(where: { $0.name == name }) else {
                return .failure(PlanRefusal(description: "no plan named \(name)"))
            }
            return .success(PlanChoice(plan: index, adaptive: true))
        case .actuated: return .success(PlanChoice(plan: nil, adaptive: false))
        case .adaptive: return .success(.free)
        }
    }

    /// Applies a waiting plan choice at a safe point: at a stage rest (a stage change under way
    /// finishes under the plan that began it), or at once outside normal operation, where no plan
    /// times anything. A fixed-time plan then steps into its cycle by its own force-offs, which
    /// wait for every minimum; a strategy switched on or off only changes what is proposed from
    /// now on. Either way no minimum, clearance or intergreen is shortened. Logs `patternChange`
    /// with the plan's number (0: free operation) when the plan changes.
    private func applyPendingPlan() {
        guard let choice = pendingPlan, !(mode == .normal && inTransition) else { return }
        pendingPlan = nil
        // Without a strategy, actuated and adaptive are the same operation: no change to log.
        let changed = choice.plan != activePlan || (adaptiveStrategy != nil && choice.adaptive != adaptiveOn)
        activePlan = choice.plan
        adaptiveOn = choice.adaptive
        if changed { buffer.emit(tick, .patternChange, choice.plan.map { $0 + 1 } ?? 0) }
    }

    /// Drops the last step's events, which have been read, before new ones are emitted; events
    /// of requests submitted since the last step stay for the next step to report.
    private func startNewEvents() {
        guard stepped else { return }
        buffer.clear()
        stepped = false
    }

    // MARK: - The tick

    /// Advances the controller to `tick` with this tick's detector inputs.
    public func step(tick now: Tenths, detectors: DetectorSnapshot) {
        tick = now
        startNewEvents()
        stepped = true
        applyPendingPlan()
        supervisor.update(tick: now, snapshot: detectors, events: &buffer)
        preemptInputs.update(
            tick: now, presence: supervisor.presence, actuations: supervisor.actuations, events: &buffer)
        applyFailedDetectorActions()
        updateDemand()
        // Observed even while paused, so its estimates are current when a plan switches it back on.
        if let strategy = adaptiveStrategy {
            strategy.observe(
                tick: now, presence: supervisor.presence, actuations: supervisor.actuations, signals: state,
                running: mode == .normal)
            while let (g, decision) = strategy.nextDecision() { logAdaptive(g, decision) }
        }

        switch mode {
        case .fault:
            showFlash()
            return
        case .startupFlash:
            showFlash()
            if now >= modeUntil { beginAllRed() }
        case .flash:
            showFlash()
            if flashRequest == nil { beginAllRed() }
        case .allRed:
            if let reason = flashRequest {
                enterFlash(reason)
            } else if now >= modeUntil {
                mode = .normal
                sequencePosition = 0
                beginTransition(to: 0, reason: .none)
            }
        case .enteringFlash(let reason):
            advanceIntervals()
            if !allClosed() {
                // The all-red before flash counts from the end of the last clearance (the first
                // closed tick is the next one), and lasts at least one tick so red always
                // separates amber from flash.
                modeUntil = now + 1 + max(junction.startup.allRedTime, 1)
            } else if now >= modeUntil {
                enterFlash(reason)
            }
        case .normal:
            runNormal()
        }
        sequencingFault?(now, &state)
        if let violation = monitor.check(tick: now, states: state) {
            latchFault(violation)
        }
    }

    // MARK: - Modes

    private func showFlash() {
        for g in 0..<groupCount {
            let group = junction.groups[g]
            setState(g, group.flash.state(for: group.kind))
        }
    }

    /// Leaves a flash (startup, requested, or the startup flash after a fault reset) for the
    /// all-red that leads into normal service.
    private func beginAllRed() {
        buffer.emit(tick, .flashEnded, Int(flashShown.rawValue))
        mode = .allRed
        preempting = nil
        modeUntil = tick + junction.startup.allRedTime
        for g in 0..<groupCount {
            setState(g, junction.groups[g].kind.stopState)
            // Lamps may have shown anything before: count every intergreen from now.
            greenEnd[g] = tick
        }
    }

    private func enterFlash(_ reason: FlashReason) {
        mode = .flash(reason)
        holdActive = false
        advancePending = false
        inTransition = false
        targetPosition = nil
        flashShown = reason
        buffer.emit(tick, .flashStatus, Int(reason.rawValue))
        showFlash()
    }

    private func latchFault(_ violation: SafetyViolation) {
        mode = .fault
        preempting = nil
        inTransition = false
        targetPosition = nil
        flashShown = .faultMonitor
        buffer.emit(tick, .alarmStatus, Int(violation.kind.rawValue))
        buffer.emit(tick, .flashStatus, Int(FlashReason.faultMonitor.rawValue))
        showFlash()
    }

    private func runNormal() {
        advanceIntervals()
        if runPreemption() { return }
        // A flash request does not wait for a stage being entered, which would only open to close
        // again: the rule below (every open group may end) applies during a stage change too. A
        // group in red+amber is open and may not end (it leads on to green, never back to red),
        // nor may one in its clearance.
        if inTransition && !(flashRequest != nil && openGroupsMayEnd()) {
            if transitionComplete() { finishTransition() }
            return
        }
        updateGreenTimers()
        if let reason = flashRequest {
            if openGroupsMayEnd() {
                for g in 0..<groupCount where state[g].isGreen { endGreen(g, reason: .flash) }
                // Nothing opens on the way to flash: a stage change or a late walk still due is given up.
                giveUpTransition()
                mode = .enteringFlash(reason)
                modeUntil = tick + max(junction.startup.allRedTime, 1)
            }
            return
        }
        guard let cyclic = nextPosition() else {
            serveLatePedestrianCalls()
            return
        }
        if holdActive {
            serveLatePedestrianCalls()
            return
        }
        var forced: Int?
        let oldest = oldestWaitingWhileOverdue()
        if let oldest {
            if stageMembers[junction.sequence[sequencePosition]][oldest] {
                // A crossing of the running stage called after it began: its walk now, and the
                // stage holds until it has had it.
                if !entering[oldest] {
                    entering[oldest] = true
                    buffer.emit(tick, .maxWaitService, oldest + 1)
                }
                return
            }
            forced = position(serving: oldest, from: cyclic)
        }
        let next = forced ?? preferredPosition(over: cyclic)
        if let reason = terminationReason(leavingFor: next) {
            if forced != nil {
                let members = stageMembers[junction.sequence[next]]
                for g in 0..<groupCount where members[g] && waitingSince[g] != Self.never && !state[g].isOpen {
                    if overdue(g) || g == oldest { buffer.emit(tick, .maxWaitService, g + 1) }
                }
            }
            beginTransition(to: next, reason: reason)
        }
    }

    /// While the stage rests with nothing else to serve, a crossing of this stage that was
    /// called after the stage began gets its walk now, instead of waiting for a cycle that never
    /// comes. With other demand waiting it stays for the next visit, so button presses cannot
    /// hold the junction here.
    private func serveLatePedestrianCalls() {
        let members = stageMembers[junction.sequence[sequencePosition]]
        for g in 0..<groupCount
        where members[g] && junction.groups[g].kind == .pedestrian && demand[g] && state[g] == .dontWalk {
            entering[g] = true
        }
    }

    // MARK: - Calls and timers

    private func applyFailedDetectorActions() {
        for g in 0..<groupCount {
            failMaxRecall[g] = false
            failMinRecall[g] = false
        }
        for (d, detector) in junction.detectors.enumerated() where supervisor.health[d] != .ok {
            for g in detector.groups {
                switch detector.failedAction {
                case .maxRecall: failMaxRecall[g] = true
                case .minRecall: failMinRecall[g] = true
                }
            }
        }
    }

    private func updateDemand() {
        var anyOther = false
        for g in 0..<groupCount {
            let group = junction.groups[g]
            var detected = false
            var present = false
            for d in callDetectorsOf[g] {
                if supervisor.actuations[d] > 0 || supervisor.presence[d] { detected = true }
                if supervisor.presence[d] { present = true }
            }
            if detected && !state[g].isGreen && group.memory == .locking && !lockedCall[g] {
                lockedCall[g] = true
                buffer.emit(tick, group.kind == .pedestrian ? .pedCallRegistered : .phaseCallRegistered, g + 1)
            }
            let recalled: Bool
            switch group.recall {
            case .minimum, .maximum, .pedestrian: recalled = true
            case .none, .soft: recalled = false
            }
            demand[g] = lockedCall[g] || (group.memory == .nonLocking && present) || recalled
                || failMaxRecall[g] || failMinRecall[g] || activePlan != nil
            if demand[g] { anyOther = true }
        }
        if !anyOther {
            for g in 0..<groupCount where junction.groups[g].recall == .soft { demand[g] = true }
        }
        for g in 0..<groupCount {
            if state[g].isOpen || !demand[g] {
                waitingSince[g] = Self.never
            } else if waitingSince[g] == Self.never {
                waitingSince[g] = tick
            }
        }
    }

    /// True when group `g` has waited its `max_wait` with demand and is not green. Only a strategy
    /// reorders or extends, so without one nothing is overdue: the cyclic order bounds every wait.
    private func overdue(_ g: Int) -> Bool {
        guard strategy != nil, activePlan == nil, let bound = junction.groups[g].maxWait,
            waitingSince[g] != Self.never
        else { return false }
        return tick - waitingSince[g] >= bound
    }

    /// While some group is overdue, the group that has waited longest (earliest `waitingSince`,
    /// the lower number on a tie), overdue or not: it is served next. Oldest first serves the
    /// overdue group after at most the stages of the groups that already waited longer, each
    /// once (a group served waits afresh, behind it), and starves no group without a `max_wait`.
    private func oldestWaitingWhileOverdue() -> Int? {
        var anyOverdue = false
        var oldest: Int?
        for g in 0..<groupCount where waitingSince[g] != Self.never {
            if overdue(g) { anyOverdue = true }
            if oldest.map({ waitingSince[g] < waitingSince[$0] }) ?? true { oldest = g }
        }
        return anyOverdue ? oldest : nil
    }

    /// The first position from `cyclic` on, in cyclic order and other than the running one, whose
    /// stage holds group `g`.
    private func position(serving g: Int, from cyclic: Int) -> Int? {
        let count = junction.sequence.count
        for step in 0..<count {
            let position = (cyclic + step) % count
            if position != sequencePosition && stageMembers[junction.sequence[position]][g] { return position }
        }
        return nil
    }

    /// True when some group outside the running stage is overdue: the strategy may then extend nothing.
    private func anyOverdueElsewhere() -> Bool {
        let members = stageMembers[junction.sequence[sequencePosition]]
        for g in 0..<groupCount where !members[g] && overdue(g) { return true }
        return false
    }

    private func updateGreenTimers() {
        for g in 0..<groupCount where state[g].isGreen {
            let timing = junction.groups[g].timing
            for d in extendDetectorsOf[g] where supervisor.presence[d] || supervisor.actuations[d] > 0 {
                extendUntil[g] = max(extendUntil[g], tick + timing.passage)
            }
            if maxTimerStart[g] == Self.never {
                // Any waiting call starts the max timer, not only a conflicting one: a call in
                // another stage can only be served once this stage ends (found by the starvation
                // property: a non-conflicting green extended forever).
                for h in 0..<groupCount where h != g && demand[h] && !state[h].isOpen {
                    maxTimerStart[g] = tick
                    break
                }
            }
            if !minCompleteSent[g] && tick - greenStart[g] >= timing.minGreen {
                minCompleteSent[g] = true
                buffer.emit(tick, .phaseMinComplete, g + 1)
            }
        }
    }

    // MARK: - Choosing and ending stages

    private func stageHasDemand(_ position: Int) -> Bool {
        let members = stageMembers[junction.sequence[position]]
        for g in 0..<groupCount where members[g] && demand[g] && !state[g].isOpen {
            return true
        }
        return false
    }

    private func nextPosition() -> Int? {
        let count = junction.sequence.count
        if activePlan != nil { return count > 1 ? (sequencePosition + 1) % count : nil }
        for step in 1..<max(count, 2) {
            let position = (sequencePosition + step) % count
            if position != sequencePosition && stageHasDemand(position) { return position }
        }
        return advancePending && count > 1 ? (sequencePosition + 1) % count : nil
    }

    /// True when every open group of the current stage has had its minimum, and every
    /// pedestrian group has finished walk and clearance.
    private func openGroupsMayEnd(next: Int? = nil) -> Bool {
        for g in 0..<groupCount where state[g].isOpen {
            if let next, stageMembers[junction.sequence[next]][g] { continue }
            if junction.groups[g].kind == .pedestrian { return false }
            if state[g] != .green || tick - greenStart[g] < junction.groups[g].timing.minGreen { return false }
        }
        return true
    }

    /// Why the current stage should end now in favour of `next`, or nil to keep it.
    private func terminationReason(leavingFor next: Int) -> TerminationReason? {
        guard openGroupsMayEnd(next: next) else { return nil }
        if advancePending { return .manualAdvance }
        if let plan = activePlan {
            return outsideGreenWindow(plan: junction.plans[plan]) ? .forceOff : nil
        }
        let nextMembers = stageMembers[junction.sequence[next]]
        var maxedOut = false
        var extending = false
        for g in 0..<groupCount where state[g] == .green && !nextMembers[g] {
            let maxOut = maxTimerStart[g] != Self.never && tick - maxTimerStart[g] >= maxGreen(g)
            let onMaxRecall = junction.groups[g].recall == .maximum || failMaxRecall[g]
            let gapOut = !onMaxRecall && tick >= extendUntil[g]
            if maxOut {
                maxedOut = true
            } else if !gapOut {
                extending = true
            }
        }
        var proposal = strategy?.propose(
            tick: tick, stage: junction.sequence[sequencePosition], next: junction.sequence[next],
            greenSince: greenStart) ?? .noOpinion
        // A group past its max_wait: the stage keeps only what the actuated rule gives it.
        if case .extend = proposal, anyOverdueElsewhere() { proposal = .noOpinion }
        switch proposal {
        case .noOpinion:
            if extending { return nil }
        case .extend(let reason):
            // Only a stage the actuated rule would gap out is held; max-out still ends it.
            if extending { return nil }
            if !maxedOut {
                noteAdaptive(.extended, reason, endingBefore: next)
                return nil
            }
        case .end(let reason):
            if extending && !maxedOut { noteAdaptive(.cut, reason, endingBefore: next) }
        }
        return maxedOut ? .maxOut : .gapOut
    }

    /// The sequence position to go to next: the strategy's choice when it names another position
    /// with demand (so a stage may be taken out of turn, never one nobody waits for), else `cyclic`.
    private func preferredPosition(over cyclic: Int) -> Int {
        guard let strategy, activePlan == nil, !advancePending,
            let wanted = strategy.preferredNext(
                current: sequencePosition, cyclicNext: cyclic, hasDemand: { stageHasDemand($0) }),
            wanted != sequencePosition, junction.sequence.indices.contains(wanted), stageHasDemand(wanted)
        else { return cyclic }
        return wanted
    }

    /// The max green of group `g` now: the configured one, or the strategy's within its bounds.
    private func maxGreen(_ g: Int) -> Tenths {
        let timing = junction.groups[g].timing
        guard let strategy else { return timing.maxGreen }
        return min(max(strategy.maxGreen(for: g), timing.minGreen), timing.maxGreen)
    }

    /// Tells the strategy what was done with its proposal for the greens that end before `next`,
    /// logging it the first time in each green.
    private func noteAdaptive(_ kind: AdaptiveDecision.Kind, _ reason: AdaptiveReason, endingBefore next: Int) {
        let nextMembers = stageMembers[junction.sequence[next]]
        for g in 0..<groupCount where state[g] == .green && !nextMembers[g] {
            let decision = AdaptiveDecision(kind: kind, reason: reason, tick: tick)
            if strategy?.recordDecision(group: g, decision: decision, greenStart: greenStart[g]) == true {
                logAdaptive(g, decision)
            }
        }
    }

    private func logAdaptive(_ g: Int, _ decision: AdaptiveDecision) {
        if let code = decision.kind.eventCode { buffer.emit(tick, code, g + 1) }
    }

    /// Fixed-time: a stage may end once the cycle is outside its green window, so the plan
    /// falls back into step by itself after startup, flash or a manual advance.
    private func outsideGreenWindow(plan: FixedTimePlan) -> Bool {
        var windowStart: Tenths = 0
        for position in 0..<sequencePosition { windowStart += plan.splits[position] }
        let forceOff = windowStart + plan.splits[sequencePosition] - interstageAfter[sequencePosition]
        let cyclePosition = ((tick - plan.offset) % plan.cycle + plan.cycle) % plan.cycle
        return cyclePosition < windowStart || cyclePosition >= forceOff
    }

    // MARK: - Transitions

    private func beginTransition(to position: Int, reason: TerminationReason) {
        let members = stageMembers[junction.sequence[position]]
        for g in 0..<groupCount {
            if state[g].isGreen && !members[g] {
                endGreen(g, reason: reason)
            }
            let wanted = junction.groups[g].kind != .pedestrian || demand[g]
            entering[g] = members[g] && !state[g].isOpen && wanted
        }
        advancePending = false
        targetPosition = position
        inTransition = true
    }

    private func finishTransition() {
        if let targetPosition { sequencePosition = targetPosition }
        targetPosition = nil
        inTransition = false
        stageStart = tick
    }

    /// Leaves a stage change, or a late walk due in the running stage, with the groups still to open closed.
    private func giveUpTransition() {
        for g in 0..<groupCount { entering[g] = false }
        targetPosition = nil
        inTransition = false
    }

    private func transitionComplete() -> Bool {
        guard let targetPosition else { return true }
        let members = stageMembers[junction.sequence[targetPosition]]
        for g in 0..<groupCount {
            if entering[g] { return false }
            if !members[g] && state[g].isOpen { return false }
        }
        return true
    }

    private func allClosed() -> Bool {
        for g in 0..<groupCount where state[g].isOpen { return false }
        return true
    }

    private func endGreen(_ g: Int, reason: TerminationReason) {
        termination[g] = reason
        greenEnd[g] = tick
        let number = g + 1
        switch reason {
        case .gapOut: buffer.emit(tick, .phaseGapOut, number)
        case .maxOut: buffer.emit(tick, .phaseMaxOut, number)
        case .forceOff: buffer.emit(tick, .phaseForceOff, number)
        case .none, .manualAdvance, .flash: break
        }
        buffer.emit(tick, .phaseGreenTermination, number)
        if junction.groups[g].kind == .pedestrian {
            setState(g, .flashingDontWalk)
            buffer.emit(tick, .pedBeginClearance, number)
        } else {
            setState(g, .amber)
            buffer.emit(tick, .phaseBeginAmber, number)
        }
    }

    /// Moves every group along its own intervals: clearances end, walks time out, and entering
    /// groups start red+amber and green once every conflicting group allows it.
    private func advanceIntervals() {
        for g in 0..<groupCount {
            let timing = junction.groups[g].timing
            let held = tick - stateSince[g]
            switch state[g] {
            case .amber where held >= max(timing.clearance, SafetyMonitor.amberFloor):
                setState(g, .red)
                buffer.emit(tick, .phaseEndAmber, g + 1)
                buffer.emit(tick, .phaseBeginRedClearance, g + 1)
            case .walk where held >= timing.minGreen:
                endGreen(g, reason: .none)
            case .flashingDontWalk where held >= timing.clearance:
                setState(g, .dontWalk)
                buffer.emit(tick, .pedBeginDontWalk, g + 1)
            case .redAmber where held >= timing.redAmber && tick >= earliestGreen(g):
                startGreen(g)
            case .red, .dontWalk:
                if entering[g] { tryToEnter(g, timing: timing) }
            default:
                break
            }
        }
    }

    private func tryToEnter(_ g: Int, timing: SignalGroupTiming) {
        for h in conflictsOf[g] where state[h].isOpen { return }
        let earliest = earliestGreen(g)
        if timing.redAmber > 0 && junction.groups[g].kind != .pedestrian {
            if tick >= earliest - timing.redAmber {
                setState(g, .redAmber)
                buffer.emit(tick, .phaseOn, g + 1)
            }
        } else if tick >= earliest {
            startGreen(g)
        }
    }

    /// Tenths until every entering group's intergreens from the greens that ended have run.
    private func intergreenRemaining() -> Tenths {
        var remaining: Tenths = 0
        for g in 0..<groupCount where entering[g] {
            remaining = max(remaining, earliestGreen(g) - tick)
        }
        return remaining
    }

    private func earliestGreen(_ g: Int) -> Tenths {
        var earliest = Self.never
        for h in conflictsOf[g] where greenEnd[h] != Self.never {
            earliest = max(earliest, greenEnd[h] + junction.intergreen[h][g])
        }
        return earliest
    }

    private func startGreen(_ g: Int) {
        let timing = junction.groups[g].timing
        entering[g] = false
        lockedCall[g] = false
        greenStart[g] = tick
        extendUntil[g] = tick
        maxTimerStart[g] = Self.never
        minCompleteSent[g] = false
        if junction.groups[g].kind == .pedestrian {
            setState(g, .walk)
            buffer.emit(tick, .pedBeginWalk, g + 1)
        } else {
            if timing.redAmber == 0 { buffer.emit(tick, .phaseOn, g + 1) }
            setState(g, .green)
            buffer.emit(tick, .phaseBeginGreen, g + 1)
        }
    }

    private func setState(_ g: Int, _ new: SignalState) {
        guard state[g] != new else { return }
        state[g] = new
        stateSince[g] = tick
    }
}

// MARK: - Preemption

/// Emergency-vehicle preemption (NEMA TS2 / ATC practice), in normal operation only.
///
/// A call (the highest-priority `PreemptInputs` call) leaves the running stage by the normal rules:
/// a green outside the dwell stage ends once it has shown its own minimum and the preempt's
/// `minGreen`, a walk and its clearance run in full, and every amber, red clearance and intergreen
/// runs its full time (entry, then track clearance once no such green is left). The dwell stage's
/// vehicle groups then come on and dwell for `minDwell` and while the input holds; crossings not
/// already walking wait. After the dwell the controller goes to the exit stage by a normal
/// transition and resumes. A call of higher priority takes over in any phase; a lower one waits
/// and follows. Flash (requested, automatic, startup) and fault are never left for a preempt: a
/// flash request abandons the preempt and flash is entered by the normal rule, a call during flash
/// is served once normal operation resumes if it still stands, and a latched fault stays.
extension SignalController {
    /// Serves preemption for this tick; true when it governs the tick, so normal sequencing waits.
    private func runPreemption() -> Bool {
        if flashRequest != nil {
            abandonPreemption()
            return false
        }
        if let wanted = preemptInputs.highestPriorityCall(), takesOver(wanted) { beginPreempt(wanted) }
        guard let run = preempting else { return false }
        let preempt = junction.preempts[run.index]
        switch run.phase {
        case .exit:
            // The normal transition to the exit stage runs; normal service follows it.
            if !inTransition { preempting = nil }
            return false
        case .dwell:
            updateGreenTimers()
            let dwelt = tick - run.since >= preempt.minDwell
            if dwelt { preemptInputs.releaseHold(run.index, tick: tick, events: &buffer) }
            if (dwelt && !preemptInputs.calls(run.index)) || preemptInputs.exceeded[run.index] {
                leavePreempt(run.index)
            }
        case .entry, .trackClearance:
            updateGreenTimers()
            if preemptInputs.exceeded[run.index] {
                leavePreempt(run.index)
                return true
            }
            steer(toward: preempt)
            if run.phase == .entry && !othersHaveRightOfWay(preempt) {
                preempting = (run.index, .trackClearance, tick)
                buffer.emit(tick, .preemptBeginTrackClearance, preempt.number)
            }
            if preempting?.phase == .trackClearance && dwellStageShown(preempt) {
                preempting = (run.index, .dwell, tick)
                stageStart = tick
                buffer.emit(tick, .preemptBeginDwell, preempt.number)
            }
        }
        return true
    }

    /// Whether a call of preempt `wanted` starts its entry now: with none served, during an exit,
    /// or over a preempt of lower priority.
    private func takesOver(_ wanted: Int) -> Bool {
        guard let run = preempting else { return true }
        return run.phase == .exit || junction.preempts[wanted].number < junction.preempts[run.index].number
    }

    private func beginPreempt(_ index: Int) {
        preempting = (index, .entry, tick)
        // A stage change under way is given up: groups not yet entering stay closed (see `steer`).
        inTransition = false
        targetPosition = nil
        advancePending = false
        buffer.emit(tick, .preemptEntryStarted, junction.preempts[index].number)
    }

    /// Ends the greens outside the dwell stage once they may end, stops closed groups from entering
    /// unless they are the dwell stage's vehicle groups, and lets those enter.
    private func steer(toward preempt: Preempt) {
        let members = stageMembers[preempt.dwellStage]
        for g in 0..<groupCount {
            let group = junction.groups[g]
            if !state[g].isOpen {
                entering[g] = members[g] && group.kind != .pedestrian
            } else if !members[g] && state[g] == .green
                && tick - greenStart[g] >= max(group.timing.minGreen, preempt.minGreen)
            {
                // A preempt forces the green off, as NEMA controllers log it.
                endGreen(g, reason: .forceOff)
            }
        }
    }

    /// True while a group outside the dwell stage is green, walking, or about to be (red+amber).
    private func othersHaveRightOfWay(_ preempt: Preempt) -> Bool {
        let members = stageMembers[preempt.dwellStage]
        for g in 0..<groupCount where !members[g] && (state[g].isGreen || state[g] == .redAmber) { return true }
        return false
    }

    /// True when every vehicle group of the dwell stage is green and every other group closed.
    private func dwellStageShown(_ preempt: Preempt) -> Bool {
        let members = stageMembers[preempt.dwellStage]
        for g in 0..<groupCount {
            if members[g] {
                if junction.groups[g].kind != .pedestrian && state[g] != .green { return false }
            } else if state[g].isOpen {
                return false
            }
        }
        return true
    }

    /// Leaves preempt `index`: straight into the entry of another call if one stands, else to the
    /// exit stage once every open group may end (its minimum green, walk and clearance served).
    private func leavePreempt(_ index: Int) {
        let number = junction.preempts[index].number
        if let next = preemptInputs.highestPriorityCall(), next != index {
            buffer.emit(tick, .preemptBeginExitInterval, number)
            beginPreempt(next)
            return
        }
        let exit = preemptExitPosition[index]
        guard openGroupsMayEnd(next: exit) else { return }
        buffer.emit(tick, .preemptBeginExitInterval, number)
        preempting = (index, .exit, tick)
        beginTransition(to: exit, reason: .forceOff)
    }

    /// Gives the preempt up for flash: nothing more enters, and flash begins by the normal rule.
    private func abandonPreemption() {
        guard let run = preempting else { return }
        preempting = nil
        guard run.phase != .exit else { return }
        for g in 0..<groupCount where !state[g].isOpen { entering[g] = false }
    }

    private func writePreemptStatus(into status: inout ControllerStatus) {
        guard let run = preempting else {
            status.preempt = nil
            return
        }
        let preempt = junction.preempts[run.index]
        status.preempt = PreemptStatus(number: preempt.number, phase: run.phase, phaseStartTick: run.since)
        if run.phase != .exit {
            status.stage = preempt.dwellStage
            status.inTransition = run.phase != .dwell
        }
    }
}

extension SignalGroupKind {
    /// The steady closed aspect of this kind: red, or don't walk.
    public var stopState: SignalState { self == .pedestrian ? .dontWalk : .red }
}

extension FlashIndication {
    /// The aspect this flash setting shows on a group of the given kind.
    public func state(for kind: SignalGroupKind) -> SignalState {
        switch self {
        case .flashingAmber: return kind == .pedestrian ? .dark : .flashingAmber
        case .flashingRed: return .flashingRed
        case .dark: return .dark
        }
    }
}
