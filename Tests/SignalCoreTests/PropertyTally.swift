/// Totals of one safety property across its runs, and the cap on shrinking.
///
/// After the first failing case every further run is PropertyBased shrinking it. Runs are
/// deterministic, so a case already seen failing is not simulated again: its issues are replayed.
/// A candidate only needs to fail as soon as the original did, so it runs for twice the original's
/// time to failure (at least an hour), not the whole case. Candidates are simulated until the shrink
/// runs have used `shrinkShare` of the property's hours; after that they pass unrun and the smallest
/// failing case found so far is the one reported.
final class PropertyTally {
    static let shrinkShare = 0.1
    static let shortestShrinkHours = 1.0

    private let shrinkHoursLimit: Double
    /// Ticks simulated so far, shrink runs included.
    private(set) var ticks = 0
    var hours: Double { Double(ticks) / 36_000 }
    private(set) var junctions = 0
    private(set) var violations = 0
    private(set) var starvedCalls = 0
    private(set) var faultsInjected = 0
    private(set) var greens = 0
    private(set) var shrinkRuns = 0
    private(set) var preemptCalls = 0
    private(set) var preemptEntries = 0
    private(set) var auditedTransitions = 0
    private(set) var flashEntries = 0
    /// The least time one flash request had to spare of its junction's bound.
    private(set) var flashEntrySpare: Int?
    private var shrinkHours = 0.0
    private var firstFailureHours: Double?
    private var failures: [String: [String]] = [:]

    init(budget: PropertyBudget) {
        shrinkHoursLimit = budget.hours * Self.shrinkShare
    }

    /// The issues of a case already seen failing, to report again without simulating it.
    func knownFailure(_ generated: JunctionCase) -> [String]? {
        failures[generated.description]
    }

    /// How long to simulate the next case.
    func hours(_ planned: Double) -> Double {
        guard let failedAfter = firstFailureHours else { return planned }
        return min(planned, max(2 * failedAfter, Self.shortestShrinkHours))
    }

    /// Whether to simulate `generated` at all.
    func shouldRun(_ generated: JunctionCase) -> Bool {
        failures.isEmpty || shrinkHours < shrinkHoursLimit
    }

    func add(_ outcome: SimulationRun.Outcome, _ generated: JunctionCase, issues: [String]) {
        ticks += outcome.ticksRun
        if failures.isEmpty {
            junctions += 1
        } else {
            shrinkRuns += 1
            shrinkHours += outcome.hours
        }
        if outcome.safetyViolated { violations += 1 }
        starvedCalls += outcome.starvation.count
        faultsInjected += outcome.faultsInjected
        greens += outcome.greens
        preemptCalls += outcome.preemptCalls
        preemptEntries += outcome.preemptEntries
        auditedTransitions += outcome.auditedTransitions
        flashEntries += outcome.flashEntries
        if let spare = outcome.flashEntrySpare { flashEntrySpare = min(flashEntrySpare ?? spare, spare) }
        if !issues.isEmpty {
            failures[generated.description] = issues
            if firstFailureHours == nil { firstFailureHours = outcome.hours }
        }
    }

    func summary(_ name: String) -> String {
        let tenths = Int((hours * 10).rounded())
        var flash = ""
        if flashEntries > 0 {
            flash = "; \(flashEntries) flash requests, each in flash within its junction's longestFlashEntry "
                + "(the closest with \(flashEntrySpare ?? 0) ticks to spare)"
        }
        return "\(name): \(tenths / 10).\(tenths % 10) simulated hours, \(violations) violations, "
            + "\(junctions) junctions (\(starvedCalls) calls over the service bound, \(greens) greens, "
            + "\(faultsInjected) detector faults injected, \(shrinkRuns) shrink runs)"
            + (preemptCalls > 0 ? "; \(preemptCalls) preempt calls, \(preemptEntries) preempt entries" : "")
            + (auditedTransitions > 0 ? "; \(auditedTransitions) mode, plan and preempt transitions, each with its event" : "")
            + flash
    }
}
