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
/// - the same inputs give the same outputs, and a steady-state step allocates nothing.
public final class SignalController {
    static let never: Tenths = Int.min / 4

    public let junction: Junction
    private var monitor: SafetyMonitor
    private var supervisor: DetectorSupervisor
    /// The adaptive layer, if any: it proposes extensions and cuts, the rules below decide.
    private let strategy: (any GreenTimingStrategy)?
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
    private var activePlan: Int?

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
        self.strategy = strategy
        let groups = junction.groups.count
        groupCount = groups
        monitor = SafetyMonitor(junction: junction)
        supervisor = DetectorSupervisor(detectors: junction.detectors, startTick: 0)
        buffer = EventBuffer(capacity: 9 * groups + 4 * junction.detectors.count + 16)

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
    /// startup) and when the groups are the same; otherwise it throws and `running` goes on.
    public convenience init(
        junction: Junction, handoverFrom running: SignalController, strategy: (any GreenTimingStrategy)? = nil
    ) throws(HandoverError) {
        try Self.checkHandover(to: junction, from: running)
        self.init(junction: junction, strategy: strategy)
        try takeOver(from: running)
    }

    /// Whether the controller rests in a stage (normal operation, no stage change under way): the
    /// only moment a reloaded junction can take over.
    public var isAtStageRest: Bool { mode == .normal && !inTransition }

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
        activePlan = running.activePlan.flatMap { old in
            junction.plans.firstIndex { $0.name == running.junction.plans[old].name }
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

    /// The handover's conditions; returns the sequence position of the running stage in `junction`.
    @discardableResult
    private static func checkHandover(to junction: Junction, from running: SignalController) throws(HandoverError)
        -> Int
    {
        guard running.mode == .normal, !running.inTransition else {
            throw .notAtSafePoint(running.inTransition ? "stage change in progress" : running.mode.name)
        }
        let same = junction.groups.count == running.junction.groups.count
            && zip(junction.groups, running.junction.groups).allSatisfy { $0.name == $1.name && $0.kind == $1.kind }
        guard same else { throw .groupLayoutChanged }
        let runningGroups = running.junction.stages[running.junction.sequence[running.sequencePosition]].groups
        guard let position = junction.sequence.firstIndex(where: { junction.stages[$0].groups == runningGroups }) else {
            throw .currentStageMissing(runningGroups.map { running.junction.groups[$0].name }.joined(separator: "+"))
        }
        return position
    }

    /// The commanded aspect of every group after the last step, already checked by the monitor.
    public var signals: [SignalState] { state }

    /// The events emitted by the last step, oldest first.
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
            detectorHealth: [], detectorPresence: [], droppedEvents: 0, adaptive: nil)
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
        if let strategy {
            if status.adaptive == nil { status.adaptive = AdaptiveStatus(strategy: strategy.name, groupCount: groupCount) }
            strategy.writeStatus(into: &status.adaptive!)
        }
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
            guard let name else {
                activePlan = nil
                buffer.emit(tick, .patternChange, 0)
                return .accepted
            }
            guard let index = junction.plans.firstIndex(where: { $0.name == name }) else {
                return .refused("no plan named \(name)")
            }
            activePlan = index
            buffer.emit(tick, .patternChange, index + 1)
            return .accepted
        }
    }

    // MARK: - The tick

    /// Advances the controller to `tick` with this tick's detector inputs.
    public func step(tick now: Tenths, detectors: DetectorSnapshot) {
        tick = now
        buffer.clear()
        supervisor.update(tick: now, snapshot: detectors, events: &buffer)
        applyFailedDetectorActions()
        updateDemand()
        if let strategy {
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

    private func beginAllRed() {
        mode = .allRed
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
        buffer.emit(tick, .flashStatus, Int(reason.rawValue))
        showFlash()
    }

    private func latchFault(_ violation: SafetyViolation) {
        mode = .fault
        inTransition = false
        targetPosition = nil
        buffer.emit(tick, .alarmStatus, Int(violation.kind.rawValue))
        buffer.emit(tick, .flashStatus, Int(FlashReason.faultMonitor.rawValue))
        showFlash()
    }

    private func runNormal() {
        advanceIntervals()
        if inTransition {
            if transitionComplete() { finishTransition() }
            return
        }
        updateGreenTimers()
        if let reason = flashRequest {
            if openGroupsMayEnd() {
                for g in 0..<groupCount where state[g].isGreen { endGreen(g, reason: .flash) }
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
