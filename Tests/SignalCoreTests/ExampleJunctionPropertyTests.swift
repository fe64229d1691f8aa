import Foundation
import JunctionConfig
import SignalCore
import Testing

/// The safety property on the junction files shipped under hardware/junctions, as loaded by the
/// daemon: each file in turn, with each of its plans selected at start or none, each adaptive
/// strategy, and fresh traffic and detector faults per case, through the same `SimulationRun` and
/// `IndependentSafetyChecker` as the generated junctions. Every other case adds random technician
/// requests (without the starvation check, which hold and flash suspend).
///
/// It simulates `JUNCTIOND_PROPERTY_HOURS` in total, like `SafetyPropertyTests`, and prints one
/// `PropertyHours` line.
@Suite struct ExampleJunctionPropertyTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hardware/junctions")

    static func examples() throws -> [(file: String, junction: Junction)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return try names.filter { $0.hasSuffix(".toml") }.sorted().map { name in
            (name, try JunctionConfigLoader().load(path: directory.appendingPathComponent(name).path).junction)
        }
    }

    @Test func safeOnEveryShippedJunction() throws {
        let examples = try Self.examples()
        try #require(examples.count >= 3, "the shipped examples are found in \(Self.directory.path)")
        let budget = PropertyBudget.share(1.0)
        let tally = PropertyTally(budget: budget)
        var random = SeededRandom(seed: 2027)
        // At least two cases per file (one with technician requests), whatever the budget.
        let cases = max(budget.cases, 2 * examples.count)
        var filesRun = Set<String>()
        for index in 0..<cases {
            let (file, junction) = examples[index % examples.count]
            let plans = [nil] + junction.plans.map(\.name)
            let strategies = AdaptiveSettings.Strategy.allCases
            let generated = JunctionCase(
                junction: junction, startPlan: plans[random.int(0...(plans.count - 1))],
                strategy: strategies[random.int(0...(strategies.count - 1))], trafficSeed: random.next())
            var run = SimulationRun(generated, hours: budget.hoursPerCase)
            run.technicianRequests = (index / examples.count) % 2 == 1
            run.checkStarvation = !run.technicianRequests
            // With requests, the file's own preempts are called too, and the event log is audited;
            // without, preempt inputs stay quiet so the service bound holds.
            run.preemptCalls = run.technicianRequests
            run.auditEventLog = run.technicianRequests
            let outcome = run.run()
            let issues = SafetyPropertyTests.issues(outcome, generated).map { "\(file): \($0)" }
            tally.add(outcome, generated, issues: issues)
            SafetyPropertyTests.record(issues)
            filesRun.insert(file)
        }
        #expect(filesRun.count == examples.count)
        print(tally.summary("shipped junctions property (\(examples.count) files)"))
        PropertyHours.report(suite: "ExampleJunctionPropertyTests", ticks: tally.ticks)
    }
}
