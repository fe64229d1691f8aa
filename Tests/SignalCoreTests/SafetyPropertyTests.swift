import PropertyBased
import SignalCore
import Testing

/// The controller on random valid junctions for many simulated hours, checked on every tick by
/// `IndependentSafetyChecker`, its own monitor, and (without technician requests) `StarvationWatch`.
/// The technician-request property also adds one to three preempts to each junction and injects
/// random preempt calls (`PreemptInjection`): its hours, a third of the total, are the hours with
/// preemption injected, and its summary line counts the calls and entries. It also holds every flash
/// request to `Junction.longestFlashEntry`, the daemon's stop wait (`FlashEntryWatch`).
///
/// `JUNCTIOND_PROPERTY_HOURS` sets the total simulated hours of both properties (default 20); CI runs
/// `JUNCTIOND_PROPERTY_HOURS=1000 swift test -c release --filter SafetyPropertyTests`. The two properties
/// together print one `PropertyHours` line. Generated junctions include NEMA ring-barrier layouts.
@Suite struct SafetyPropertyTests {
    @Test(.shrinking) func safeAndServedUnderTrafficAndDetectorFaults() async {
        let budget = PropertyBudget.share(2.0 / 3.0)
        let tally = PropertyTally(budget: budget)
        // The saturation strategy only shortens max greens and keeps the cyclic order, so the actuated
        // service bound holds under it; the advance strategy reorders stages and is checked for safety
        // in the technician property.
        let strategies: [AdaptiveSettings.Strategy] = [.actuated, .saturation]
        await propertyCheck(count: budget.cases, input: JunctionGenerator.cases(strategies: strategies)) { generated in
            if let issues = tally.knownFailure(generated) { return Self.record(issues) }
            guard tally.shouldRun(generated) else { return }
            var run = SimulationRun(generated, hours: tally.hours(budget.hoursPerCase))
            run.determinismTicks = 3000
            let outcome = run.run()
            let issues = Self.issues(outcome, generated)
            tally.add(outcome, generated, issues: issues)
            Self.record(issues)
        }
        print(tally.summary("safety property"))
        PropertyHours.report(suite: "SafetyPropertyTests", ticks: tally.ticks, parts: 2)
    }

    @Test(.shrinking) func safeUnderTechnicianRequests() async {
        let budget = PropertyBudget.share(1.0 / 3.0)
        let tally = PropertyTally(budget: budget)
        let strategies = AdaptiveSettings.Strategy.allCases
        await propertyCheck(count: budget.cases, input: JunctionGenerator.cases(strategies: strategies)) { generated in
            if let issues = tally.knownFailure(generated) { return Self.record(issues) }
            guard tally.shouldRun(generated) else { return }
            var run = SimulationRun(generated, hours: tally.hours(budget.hoursPerCase))
            run.technicianRequests = true
            run.checkStarvation = false
            run.auditEventLog = true
            run.injectPreempts()
            let outcome = run.run()
            let issues = Self.issues(outcome, generated)
            tally.add(outcome, generated, issues: issues)
            Self.record(issues)
        }
        print(tally.summary("technician-request property with preemption"))
        PropertyHours.report(suite: "SafetyPropertyTests", ticks: tally.ticks, parts: 2)
    }

    @Test func generatedJunctionsAreValidAndVaried() async {
        let seen = GeneratorCoverage()
        let cases = JunctionGenerator.cases(strategies: AdaptiveSettings.Strategy.allCases)
        await propertyCheck(count: 500, input: cases) { generated in
            let problems = JunctionValidator().problems(in: generated.junction)
            #expect(problems.isEmpty, "\(problems)\n\(generated)")
            let injected = PreemptInjection.adding(to: generated.junction, seed: generated.trafficSeed)
            let preemptProblems = JunctionValidator().problems(in: injected)
            #expect(preemptProblems.isEmpty, "\(preemptProblems)\n\(generated)")
            // As the technician property runs it: the preempt detectors count among the features.
            var withPreempts = generated
            withPreempts.junction = injected
            seen.add(withPreempts)
        }
        #expect(seen.missing.isEmpty, "never generated: \(seen.missing)")
    }

    static func record(_ issues: [String]) {
        for issue in issues { Issue.record("\(issue)") }
    }

    static func issues(_ outcome: SimulationRun.Outcome, _ generated: JunctionCase) -> [String] {
        var issues: [String] = []
        let at = "after \(outcome.ticksRun) ticks"
        if let finding = outcome.checkerFinding {
            issues.append("independent checker \(at): \(finding)\n\(generated)")
        }
        if let fault = outcome.controllerFault {
            issues.append("controller's monitor tripped \(at): \(fault)\n\(generated)")
        }
        if let violation = outcome.trueMonitorViolation {
            issues.append("monitor of the true junction tripped \(at): \(violation)\n\(generated)")
        }
        for late in outcome.starvation {
            issues.append("starvation: \(late)\n\(generated)")
        }
        for problem in outcome.otherProblems.prefix(3) {
            issues.append("\(problem)\n\(generated)")
        }
        return issues
    }
}
