import SignalCore
import Testing

/// `OutflowProjection` (what this junction sends toward a neighbour) and `NeighbourArrivals`
/// (what the neighbours announce for its stop lines), each against hand-counted figures.
@Suite("Neighbour forecast")
struct NeighbourForecastTests {
    /// Groups A (0) and B (1) in conflict; detectors: A stop line, A advance, B stop line, B advance.
    static var junction: Junction {
        let groups = [TestJunctions.vehicle("A", maxGreen: 300), TestJunctions.vehicle("B")]
        let (conflicts, intergreen) = TestJunctions.matrices(count: 2, conflicts: [(0, 1, 50)])
        return Junction(
            name: "pair", groups: groups, conflicts: conflicts, intergreen: intergreen,
            stages: [Stage(name: "A", groups: [0]), Stage(name: "B", groups: [1])],
            detectors: [
                Detector(name: "A-stop", groups: [0]), Detector(name: "A-advance", groups: [0], placement: .advance),
                Detector(name: "B-stop", groups: [1]), Detector(name: "B-advance", groups: [1], placement: .advance),
            ])
    }

    struct Feed {
        var projection = OutflowProjection(
            junction: NeighbourForecastTests.junction, settings: AdaptiveSettings(strategy: .advance),
            outflows: [[(group: 0, share: 0.5)], [(group: 1, share: 1)]], horizonTenths: 600)
        var tick: Tenths = 0

        /// Runs to `until`, with A's lamp `a` and the actuations `counts` on the given tick.
        mutating func run(until: Tenths, a: SignalState, on: Tenths? = nil, counts: [Int] = [0, 0, 0, 0]) {
            run(until: until, a: a) { $0 == on ? counts : [0, 0, 0, 0] }
        }

        /// Runs to `until`, with A's lamp `a` and the actuations `counts(tick)`.
        mutating func run(until: Tenths, a: SignalState, counts: (Tenths) -> [Int]) {
            while tick < until {
                tick += 1
                projection.observe(tick: tick, actuations: counts(tick), signals: [a, a == .green ? .red : .green])
            }
        }
    }

    @Test func projectsTheMeasuredSecondAndTheGreenQueuesDischarge() {
        var feed = Feed()
        feed.run(until: 5, a: .red, on: 1, counts: [0, 6, 0, 0])
        #expect(feed.projection.queued(0) == 6)
        feed.run(until: 15, a: .green, on: 12, counts: [1, 0, 0, 0])
        #expect(feed.projection.queued(0) == 5)
        var profile = OutflowProfile(startTenths: 0, bins: 0)
        feed.projection.profile(neighbour: 0, tick: 15, into: &profile)
        #expect(profile.startTenths == -10)
        #expect(profile.vehicles.count == 61)
        // Measured: one crossing at tick 12, half of it toward this neighbour.
        #expect(profile.vehicles[0] == 0.5)
        // Ahead: five vehicles at 2 s headway on one lane, from 2 s on.
        var expected = [Double](repeating: 0, count: 61)
        for bin in [3, 5, 7, 9, 11] { expected[bin] = 0.5 }
        #expect(Array(profile.vehicles[1...]) == Array(expected[1...]))
        // A second later the measured crossing has left the window.
        feed.run(until: 25, a: .green)
        feed.projection.profile(neighbour: 0, tick: 25, into: &profile)
        #expect(profile.vehicles[0] == 0)
    }

    @Test func aRedGroupProjectsNothingAhead() {
        var feed = Feed()
        feed.run(until: 10, a: .red, on: 3, counts: [0, 8, 0, 0])
        var profile = OutflowProfile(startTenths: 0, bins: 0)
        feed.projection.profile(neighbour: 0, tick: 10, into: &profile)
        #expect(profile.vehicles.allSatisfy { $0 == 0 })
    }

    @Test func theMaxGreenEndsTheProjection() {
        var feed = Feed()
        feed.run(until: 5, a: .red, on: 1, counts: [0, 40, 0, 0])
        // Green since tick 6 with max green 30 s, one vehicle in and one out every 2 s: by tick 245,
        // 6.1 s are left, so three of the forty crossings fit.
        feed.run(until: 245, a: .green) { $0 % 20 == 0 ? [1, 1, 0, 0] : [0, 0, 0, 0] }
        #expect(feed.projection.queued(0) == 40)
        var profile = OutflowProfile(startTenths: 0, bins: 0)
        feed.projection.profile(neighbour: 0, tick: 245, into: &profile)
        #expect(profile.vehicles.reduce(0, +) - profile.vehicles[0] == 1.5)
    }

    @Test func aCountNoVehicleAnswersIsForgottenOnGreen() {
        var feed = Feed()
        feed.run(until: 5, a: .red, on: 1, counts: [0, 3, 0, 0])
        feed.run(until: 200, a: .green)
        #expect(feed.projection.queued(0) == 0)
    }

    // MARK: - Arrivals

    static func arrivals() -> NeighbourArrivals {
        NeighbourArrivals(
            groupCount: 2,
            links: [
                .init(inflow: [(group: 1, share: 0.5), (group: 0, share: 0.25)], travelTenths: 300),
                .init(inflow: [(group: 1, share: 0.5)], travelTenths: 0),
            ],
            staleAfterTenths: 30)
    }

    static func flat(_ bins: Int, _ vehicles: Double = 1) -> OutflowProfile {
        var profile = OutflowProfile(startTenths: -10, bins: bins)
        for i in profile.vehicles.indices { profile.vehicles[i] = vehicles }
        return profile
    }

    @Test func shiftsByTravelAndAgeAndSplitsByShare() {
        let arrivals = Self.arrivals()
        arrivals.merge(neighbour: 0, profile: Self.flat(60), ageTenths: 5, tick: 1000)
        // Bin 0 reaches the stop line 300 − 10 − 5 = 285 tenths from now.
        #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 285) == 0)
        #expect(arrivals.expected(group: 1, fromTenths: 285, toTenths: 295) == 0.5)
        #expect(arrivals.expected(group: 1, fromTenths: 290, toTenths: 300) == 0.5)
        #expect(arrivals.expected(group: 0, fromTenths: 285, toTenths: 305) == 0.5)
        #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 10_000) == 30)
    }

    @Test func countsOnlyWhatIsDueFromWhereTheReaderAsks() {
        let arrivals = Self.arrivals()
        arrivals.merge(neighbour: 1, profile: Self.flat(20), ageTenths: 0, tick: 50)
        // Arrivals run from −10 on at 0.1 vehicles a tenth: from now on, and past a loop 3.6 s out.
        #expect(abs(arrivals.expected(group: 1, fromTenths: 0, toTenths: 100) - 0.5 * 0.1 * 100) < 1e-9)
        #expect(abs(arrivals.expected(group: 1, fromTenths: 36, toTenths: 100) - 0.5 * 0.1 * 64) < 1e-9)
    }

    @Test func aNewerProfileReplacesTheEarlierOne() {
        let arrivals = Self.arrivals()
        arrivals.merge(neighbour: 1, profile: Self.flat(20, 2), ageTenths: 0, tick: 50)
        arrivals.merge(neighbour: 1, profile: Self.flat(5, 1), ageTenths: 0, tick: 60)
        #expect(abs(arrivals.expected(group: 1, fromTenths: 0, toTenths: 1000) - 0.5 * 0.1 * 40) < 1e-9)
    }

    @Test func vehiclesCountedLeavingStayUntilTheyAreDue() {
        let arrivals = Self.arrivals()
        // Link 0: 30 s of road. The first message counts 2 vehicles leaving in its last second and
        // projects nothing; the next ones count nobody. The 2 stay on the road until due.
        var leaving = OutflowProfile(startTenths: -10, bins: 1)
        leaving.vehicles[0] = 2
        arrivals.merge(neighbour: 0, profile: leaving, ageTenths: 0, tick: 100)
        // Counted while they are on the road.
        for tick in stride(from: 110, through: 350, by: 10) {
            arrivals.merge(neighbour: 0, profile: OutflowProfile(startTenths: -10, bins: 1), ageTenths: 0, tick: tick)
            // Due from 100 − 10 + 300 = 390 to 400 (group 1 takes half).
            #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 1000) == 1, "tick \(tick)")
            #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 390 - tick) == 0, "tick \(tick)")
        }
        // Due in 1–2 s: past advance loops 3.6 s out, which count them, so a reader asking from
        // there on finds none.
        arrivals.expire(tick: 380)
        #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 1000) == 1)
        #expect(arrivals.expected(group: 1, fromTenths: 36, toTenths: 1000) == 0)
    }

    @Test func aSilentNeighbourIsClearedAndHeardAgain() {
        let arrivals = Self.arrivals()
        arrivals.merge(neighbour: 0, profile: Self.flat(60), ageTenths: 0, tick: 100)
        arrivals.expire(tick: 130)
        #expect(arrivals.isFresh(0))
        #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 1000) > 0)
        arrivals.expire(tick: 131)
        #expect(!arrivals.isFresh(0))
        #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 10_000) == 0)
        arrivals.merge(neighbour: 0, profile: Self.flat(60), ageTenths: 0, tick: 200)
        #expect(arrivals.isFresh(0))
        #expect(arrivals.expected(group: 1, fromTenths: 0, toTenths: 10_000) == 30)
    }

    @Test func assignCopiesTheWholeForecast() {
        let source = Self.arrivals()
        source.merge(neighbour: 0, profile: Self.flat(60), ageTenths: 3, tick: 100)
        let copy = Self.arrivals()
        copy.assign(from: source)
        #expect(copy.now == 100)
        #expect(copy.expected(group: 0, fromTenths: 0, toTenths: 400) == source.expected(group: 0, fromTenths: 0, toTenths: 400))
        #expect(copy.isFresh(0) && !copy.isFresh(1))
    }
}
