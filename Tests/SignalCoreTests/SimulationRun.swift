import SignalCore

/// Runs one controller for a number of ticks against generated traffic and checks every tick.
///
/// The same driver serves the safety properties and the mutation tests, so a mutant caught here
/// proves the property itself can fail.
struct SimulationRun {
    /// What the lamps are checked against.
    var trueJunction: Junction
    /// What the controller is given; differs from `trueJunction` only for mutants.
    var controllerJunction: Junction
    var startPlan: String?
    var strategy: AdaptiveSettings.Strategy
    var ticks: Int
    var trafficSeed: UInt64
    /// Submit random technician requests (no starvation check then: hold and flash suspend service).
    var technicianRequests = false
    var checkStarvation = true
    /// Watch only the groups with a `max_wait`, each against max_wait plus the actuated bound (for a
    /// strategy that reorders stages, which the plain service bound does not cover), and check the
    /// rule itself: while a call has stood past its `max_wait`, every stage ended (gap-out or
    /// max-out) goes with a `maxWaitService` event, i.e. the next stage serves an overdue group.
    var checkMaxWait = false
    /// Also check with a `SafetyMonitor` built from `trueJunction` (the controller's own monitor uses
    /// `controllerJunction`, which a mutant has falsified).
    var checkWithTrueMonitor = false
    /// Ticks during which a second controller runs in lockstep and must match exactly.
    var determinismTicks = 0
    /// Inject random preempt calls (`injectPreempts` adds the preempts to the junction).
    var preemptCalls = false
    /// Check every tick that each mode, plan and preempt transition left its event (`EventLogAudit`).
    var auditEventLog = false
    /// Changes the lamps after the controller and before the checks (for post-processing mutants).
    var outputFilter: ((Tenths, inout [SignalState]) -> Void)?

    init(_ generated: JunctionCase, hours: Double) {
        trueJunction = generated.junction
        controllerJunction = generated.junction
        startPlan = generated.startPlan
        strategy = generated.strategy
        // Rounded up, so a budget of whole cases is never a few ticks short of the hours asked.
        ticks = Int((hours * 36_000).rounded(.up))
        trafficSeed = generated.trafficSeed
    }

    /// Adds random preempts (`PreemptInjection`) to the junction and calls them during the run; the
    /// starvation bound does not cover a junction held by preempts, so it is not checked then.
    mutating func injectPreempts() {
        trueJunction = PreemptInjection.adding(to: trueJunction, seed: trafficSeed)
        controllerJunction = trueJunction
        preemptCalls = true
        checkStarvation = false
    }

    struct Outcome {
        var ticksRun = 0
        var checkerFinding: IndependentSafetyChecker.Finding?
        var controllerFault: SafetyViolation?
        var trueMonitorViolation: SafetyViolation?
        var starvation: [StarvationWatch.Finding] = []
        var otherProblems: [String] = []
        var starvationBound: Tenths = 0
        var faultsInjected = 0
        var greens = 0
        /// `EventCode.maxWaitService` events: how often a `max_wait` forced a stage.
        var maxWaitServices = 0
        /// Preempt calls placed and preempts entered (`EventCode.preemptEntryStarted`).
        var preemptCalls = 0
        var preemptEntries = 0
        /// Transitions whose event `EventLogAudit` checked.
        var auditedTransitions = 0
        /// Technician flash requests that reached flash, and the least of the bound one had to spare.
        var flashEntries = 0
        var flashEntrySpare: Tenths?

        var hours: Double { Double(ticksRun) / 36_000 }
        var safetyViolated: Bool { checkerFinding != nil || controllerFault != nil || trueMonitorViolation != nil }
    }

    /// Runs until the end, or until the first safety finding (what follows it is fault flash) or the
    /// first call over the service bound (one is enough to fail, and shrinking reruns the case).
    func run() -> Outcome {
        var outcome = Outcome()
        let settings = AdaptiveSettings(strategy: strategy)
        let junction = controllerJunction
        let controller = SignalController(junction: junction, strategy: settings.makeStrategy(for: junction))
        let twin = determinismTicks > 0
            ? SignalController(junction: junction, strategy: settings.makeStrategy(for: junction)) : nil
        if let startPlan {
            if controller.submit(.selectPlan(startPlan)) != .accepted { outcome.otherProblems.append("plan refused") }
            _ = twin?.submit(.selectPlan(startPlan))
        }
        var traffic = DetectorTrafficGenerator(junction: trueJunction, seed: trafficSeed)
        var requests = technicianRequests ? TechnicianRequestGenerator(junction: trueJunction, seed: trafficSeed) : nil
        var preempts = preemptCalls ? PreemptInjection(junction: trueJunction, seed: trafficSeed) : nil
        var checker = IndependentSafetyChecker(junction: trueJunction)
        var trueMonitor = checkWithTrueMonitor ? SafetyMonitor(junction: trueJunction) : nil
        var watch = checkMaxWait
            ? StarvationWatch(junction: trueJunction, maxWaitOnly: true)
            : StarvationWatch(junction: trueJunction, planRunning: startPlan != nil)
        outcome.starvationBound = watch.bound
        var snapshot = DetectorSnapshot(detectorCount: trueJunction.detectors.count)
        var before = controller.signals
        var audit = auditEventLog ? EventLogAudit(controller) : nil
        var flashEntry = FlashEntryWatch(junction: trueJunction)

        for tick in 1...max(ticks, 1) {
            traffic.fill(&snapshot, tick: tick)
            preempts?.fill(&snapshot, tick: tick, controller: controller)
            if let wrong = requests?.submit(to: controller, tick: tick) { outcome.otherProblems.append(wrong) }
            controller.step(tick: tick, detectors: snapshot)
            var shown = controller.signals
            outputFilter?(tick, &shown)
            outcome.ticksRun = tick

            if let finding = checker.observe(tick: tick, aspects: shown) { outcome.checkerFinding = finding }
            if let fault = controller.fault { outcome.controllerFault = fault }
            if let violation = trueMonitor?.check(tick: tick, states: shown) {
                outcome.trueMonitorViolation = violation
            }
            if outcome.safetyViolated { break }
            if let late = flashEntry.observe(tick: tick, askedAt: requests?.flashAskedAt, controller: controller) {
                outcome.otherProblems.append(late)
                break
            }
            if let missing = audit?.observe(controller, tick: tick), !missing.isEmpty {
                outcome.otherProblems += missing
                break
            }

            if let twin, tick <= determinismTicks {
                twin.step(tick: tick, detectors: snapshot)
                if twin.signals != controller.signals || twin.tickEvents != controller.tickEvents {
                    outcome.otherProblems.append("tick \(tick): a second controller fed the same inputs differs")
                }
            }
            if checkStarvation, let late = watch.observe(tick: tick, snapshot: snapshot, before: before, after: shown) {
                outcome.starvation.append(late)
                break
            }
            var ended = false
            var forced = false
            for event in controller.tickEvents {
                switch event.code {
                case .maxWaitService: forced = true
                case .preemptEntryStarted: outcome.preemptEntries += 1
                case .phaseGapOut, .phaseMaxOut: ended = true
                default: break
                }
            }
            if forced { outcome.maxWaitServices += 1 }
            // Two ticks of slack: the watch reads calls from the inputs, the controller from its supervisor.
            if checkMaxWait, ended, !forced, let g = watch.overdueGroup(at: tick, slack: 2) {
                outcome.otherProblems.append(
                    "tick \(tick): a stage ended for one serving no overdue group while group \(g) was past its max_wait")
                break
            }
            for g in shown.indices where shown[g] == .green || shown[g] == .walk {
                if before[g] != shown[g] { outcome.greens += 1 }
            }
            before = shown
        }
        outcome.faultsInjected = traffic.faultsInjected + traffic.outages
        outcome.preemptCalls = preempts?.calls ?? 0
        outcome.auditedTransitions = audit?.transitions ?? 0
        outcome.flashEntries = flashEntry.entries
        outcome.flashEntrySpare = flashEntry.leastSpare
        if controller.status.droppedEvents != 0 {
            outcome.otherProblems.append("\(controller.status.droppedEvents) events dropped")
        }
        return outcome
    }
}
