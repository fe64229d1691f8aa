import SignalCore
import Testing

/// The advance strategy with a neighbour forecast, through the production controller, against the
/// same strategy isolated on the same loop actuations.
@Suite struct NeighbourStrategyTests {
    typealias Roads = AdaptiveStrategyTests

    /// One controller on `AdaptiveStrategyTests.twoRoads`, with or without a forecast.
    struct Run {
        let controller: SignalController
        let arrivals: NeighbourArrivals
        var monitor: SafetyMonitor
        var snapshot: DetectorSnapshot
        var tick: Tenths = 0
        var events: [ControllerEvent] = []
        var states: [[SignalState]] = []

        /// `fed` is the group the neighbour's road feeds.
        init(coordinated: Bool, fed: Int = 0) {
            let junction = Roads.twoRoads
            let settings = AdaptiveSettings(strategy: .advance)
            arrivals = NeighbourArrivals(
                groupCount: 2, links: [.init(inflow: [(group: fed, share: 1)], travelTenths: 0)],
                staleAfterTenths: 30)
            controller = SignalController(
                junction: junction, strategy: settings.makeStrategy(for: junction, neighbours: coordinated ? arrivals : nil))
            monitor = SafetyMonitor(junction: junction)
            snapshot = DetectorSnapshot(detectorCount: junction.detectors.count)
        }

        /// One tick: `hits` see one vehicle each; `announce` is merged first when given.
        mutating func step(hits: [Int], announce: OutflowProfile?) -> SafetyViolation? {
            tick += 1
            if let announce { arrivals.merge(neighbour: 0, profile: announce, ageTenths: 0, tick: tick) }
            arrivals.expire(tick: tick)
            snapshot.clearActuations()
            for d in 0..<snapshot.count { snapshot.presence[d] = false }
            for d in hits {
                snapshot.actuations[d] += 1
                snapshot.presence[d] = true
            }
            controller.step(tick: tick, detectors: snapshot)
            events.append(contentsOf: controller.tickEvents)
            states.append(controller.signals)
            return monitor.check(tick: tick, states: controller.signals)
        }

        /// Steps from startup, with main called at tick 10, until main is green; returns that tick.
        mutating func untilMainIsGreen() throws -> Tenths {
            var green: Tenths?
            while green == nil && tick < 3000 {
                #expect(step(hits: tick + 1 == 10 ? [Roads.mainStop] : [], announce: nil) == nil)
                if controller.signals[0] == .green { green = tick }
            }
            return try #require(green)
        }

        func ticks(of code: EventCode, group: Int) -> [Tenths] {
            events.filter { $0.code == code && $0.parameter == group + 1 }.map(\.tick)
        }
    }

    /// Main turns green at startup (called at tick 10); the side calls 0.5 s into it. A platoon of
    /// six reaches main's stop line from `due` on, 0.3 s apart, having crossed the advance loop 3.6 s
    /// earlier. With `announce`, the neighbour says so every second from `announceFrom` on.
    static func scenario(coordinated: Bool, announce: Bool = true) throws -> (run: Run, green: Tenths, due: Tenths) {
        var run = Run(coordinated: coordinated)
        let start = try run.untilMainIsGreen()
        let due = start + 200
        while run.tick < start + 400 {
            let t = run.tick + 1
            var hits: [Int] = []
            if t == start + 5 { hits.append(Roads.sideStop) }
            for k in 0..<6 {
                if t == due - 36 + 3 * k { hits.append(Roads.mainAdvance) }
                if t == due + 3 * k { hits.append(Roads.mainStop) }
            }
            var profile: OutflowProfile?
            if announce && t >= start + 20 && t % 10 == 0 && t < due {
                // Six vehicles in the two seconds from `due`, by the neighbour's clock = this one's.
                var made = OutflowProfile(startTenths: due - t, bins: 2)
                made.vehicles = [3, 3]
                profile = made
            }
            #expect(run.step(hits: hits, announce: profile) == nil)
        }
        return (run, start, due)
    }

    @Test func anAnnouncedPlatoonDoesNotHoldAGreen() throws {
        // The forecast places vehicles at free-flow speed; on the corridor bench, holding a green for
        // them cost the cross street more than it saved, so only the loops' own vehicles hold it.
        let isolated = try Self.scenario(coordinated: false)
        let coordinated = try Self.scenario(coordinated: true)
        #expect(coordinated.run.states == isolated.run.states)
    }

    /// Main turns green at startup; its advance loop sees a vehicle every 2 s, which keeps it green;
    /// the side calls 0.5 s into it. With `announce`, the side's neighbour says every second from
    /// 3 s on that twelve vehicles reach the side's stop line from `due` on. Returns main's first
    /// green end, and `due`.
    static func sidePlatoon(coordinated: Bool) throws -> (mainEnd: Tenths, due: Tenths) {
        var run = Run(coordinated: coordinated, fed: 1)
        let start = try run.untilMainIsGreen()
        let due = start + 250
        while run.tick < start + 900 && run.ticks(of: .phaseGreenTermination, group: 0).isEmpty {
            let t = run.tick + 1
            var hits: [Int] = []
            if t == start + 5 { hits.append(Roads.sideStop) }
            if (t - start) % 20 == 0 { hits.append(Roads.mainAdvance) }
            if (t - start) % 20 == 16 && t > start + 36 { hits.append(Roads.mainStop) }
            var profile: OutflowProfile?
            if t >= start + 30 && t % 10 == 0 && t < due {
                var made = OutflowProfile(startTenths: due - t, bins: 3)
                made.vehicles = [4, 4, 4]
                profile = made
            }
            #expect(run.step(hits: hits, announce: profile) == nil)
        }
        return (try #require(run.ticks(of: .phaseGreenTermination, group: 0).first), due)
    }

    @Test func anAnnouncedPlatoonOnRedEndsAGreenSooner() throws {
        let isolated = try Self.sidePlatoon(coordinated: false)
        let coordinated = try Self.sidePlatoon(coordinated: true)
        // Isolated, main's steady trickle holds it well past the platoon's arrival; told of the
        // platoon, it ends main in time to meet it.
        #expect(coordinated.mainEnd < isolated.mainEnd)
        #expect(coordinated.mainEnd < coordinated.due)
    }

    /// A junction whose neighbours are silent (never heard, or no longer) proposes as an isolated
    /// one: main green with a platoon just past its advance loop, the side road waiting on red, in
    /// every mix of the two. A look ahead past the loops' own horizon would extend main for
    /// platoons the isolated junction ends on (served over 25 s outgrows served over 8 s).
    @Test func silentNeighboursLeaveTheJunctionIsolated() {
        let junction = Roads.twoRoads
        let settings = AdaptiveSettings(strategy: .advance)
        for heard in [false, true] {
            for platoon in 0...16 {
                for waiting in 0...24 {
                    let arrivals = NeighbourArrivals(
                        groupCount: 2, links: [.init(inflow: [(group: 0, share: 1)], travelTenths: 0)],
                        staleAfterTenths: 30)
                    let isolated = AdvanceDetectorStrategy(junction: junction, settings: settings)
                    let silent = AdvanceDetectorStrategy(junction: junction, settings: settings, neighbours: arrivals)
                    if heard {
                        // Heard once, at tick 1, and stale (3 s) long before the proposal.
                        arrivals.merge(neighbour: 0, profile: OutflowProfile(startTenths: 0, bins: 2), ageTenths: 0, tick: 1)
                    }
                    var actuations = [0, 0, 0, 0]
                    actuations[Roads.sideAdvance] = waiting
                    let tick: Tenths = 100
                    arrivals.expire(tick: tick)
                    for strategy in [isolated, silent] {
                        strategy.observe(
                            tick: tick - 50, presence: [false, false, false, false], actuations: actuations,
                            signals: [.green, .red], running: true)
                    }
                    actuations = [0, 0, 0, 0]
                    actuations[Roads.mainAdvance] = platoon
                    for strategy in [isolated, silent] {
                        strategy.observe(
                            tick: tick, presence: [false, platoon > 0, false, false], actuations: actuations,
                            signals: [.green, .red], running: true)
                    }
                    let expected = isolated.propose(tick: tick, stage: 0, next: 1, greenSince: [0, -1])
                    let proposal = silent.propose(tick: tick, stage: 0, next: 1, greenSince: [0, -1])
                    #expect(proposal == expected, "heard \(heard), platoon \(platoon), waiting \(waiting)")
                }
            }
        }
    }

    /// The side road's loops sit 8 s out, not the configured 3.6 s: taught that on its greens,
    /// the strategy must treat announced vehicles due within those 8 s as the ones its advance loop
    /// has counted already. Main green, `side` vehicles just over the side's advance loop, and the
    /// neighbour announcing the same vehicles 4 s from the stop line: every proposal equals the one
    /// made with an empty announcement (counted at the configured travel, they counted twice).
    @Test func announcedVehiclesWithinTheLearnedTravelAreNotCountedTwice() {
        let junction = Roads.twoRoads
        let settings = AdaptiveSettings(strategy: .advance)
        let loopsTravel: Tenths = 80
        for platoon in 0...12 {
            for side in 1...12 {
                var proposals: [GreenProposal] = []
                for announcing in [false, true] {
                    let arrivals = NeighbourArrivals(
                        groupCount: 2, links: [.init(inflow: [(group: 1, share: 1)], travelTenths: 0)],
                        staleAfterTenths: 30)
                    let strategy = AdvanceDetectorStrategy(junction: junction, settings: settings, neighbours: arrivals)
                    var tick: Tenths = 0
                    func observe(_ hits: [Int], _ signals: [SignalState]) {
                        tick += 1
                        var actuations = [0, 0, 0, 0]
                        for d in hits { actuations[d] += 1 }
                        strategy.observe(
                            tick: tick, presence: actuations.map { $0 > 0 }, actuations: actuations, signals: signals,
                            running: true)
                    }
                    // Side green: one vehicle at a time from its advance loop to its stop line.
                    for _ in 0..<30 {
                        observe([Roads.sideAdvance], [.red, .green])
                        for _ in 1..<loopsTravel { observe([], [.red, .green]) }
                        observe([Roads.sideStop], [.red, .green])
                        for _ in 0..<20 { observe([], [.red, .green]) }
                    }
                    for _ in 0..<30 { observe([], [.red, .amber]) }
                    for _ in 0..<20 { observe([], [.red, .red]) }
                    for _ in 0..<15 { observe([], [.redAmber, .red]) }
                    let mainGreen = tick + 1
                    for _ in 0..<20 { observe([], [.green, .red]) }
                    // The side's vehicles cross its advance loop 4 s before the proposal, which
                    // main's platoon makes on crossing its own; the neighbour announces them for then.
                    observe(Array(repeating: Roads.sideAdvance, count: side), [.green, .red])
                    for _ in 1..<(loopsTravel - 40) { observe([], [.green, .red]) }
                    var profile = OutflowProfile(startTenths: 40, bins: 1)
                    if announcing { profile.vehicles = [Double(side)] }
                    arrivals.merge(neighbour: 0, profile: profile, ageTenths: 0, tick: tick + 1)
                    arrivals.expire(tick: tick + 1)
                    observe(Array(repeating: Roads.mainAdvance, count: platoon), [.green, .red])
                    proposals.append(
                        strategy.propose(tick: tick, stage: 0, next: 1, greenSince: [mainGreen, -1]))
                }
                #expect(proposals[0] == proposals[1], "platoon \(platoon), side \(side)")
            }
        }
    }

    @Test func withoutAMessageTheForecastChangesNothing() throws {
        let isolated = try Self.scenario(coordinated: false)
        let silent = try Self.scenario(coordinated: true, announce: false)
        #expect(isolated.run.states == silent.run.states)
        #expect(isolated.run.events == silent.run.events)
    }
}
