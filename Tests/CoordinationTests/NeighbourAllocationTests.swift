import CMallocCounter
import Coordination
import SignalCore
import Testing

#if DEBUG
    private let isReleaseBuild = false
#else
    private let isReleaseBuild = true
#endif

/// What runs on the tick allocates nothing: the projection's `observe` and `profile` (into a
/// profile that has held its bins once), the forecast's `expire`, `merge` and `expected`, and
/// the copy of a forecast kept off the tick into the one the strategy reads.
///
/// Release only, like `TickAllocationTests` (scripts/test.sh's RELEASE_SUITES): debug Swift
/// allocates where release does not. `swift test -c release --filter NeighbourAllocationTests`.
@Suite(.enabled(if: isReleaseBuild, "counts only in release: debug Swift allocates"))
struct NeighbourAllocationTests {
    @Test func theTickSideAllocatesNothing() {
        let junction = NeighbourExchangeTests.junction
        let a = NeighbourExchangeTests.nodeA()
        let b = NeighbourExchangeTests.nodeB()
        let offTick = NeighbourArrivals(
            groupCount: 2, neighbours: b.receiver.settings)
        var projection = a.sender.projection
        var profile = OutflowProfile(startTenths: 0, bins: projection.bins)
        var actuations = [Int](repeating: 0, count: junction.detectors.count)
        var signals: [SignalState] = [.green, .red]
        var total = 0.0

        func tick(_ t: Tenths) {
            actuations[1] = t % 7 == 0 ? 1 : 0
            actuations[0] = t % 9 == 0 ? 1 : 0
            if t % 400 == 0 { signals.swapAt(0, 1) }
            projection.observe(tick: t, actuations: actuations, signals: signals)
            b.observe(tick: t, actuations: actuations, signals: signals)
            if t % 10 == 0 {
                projection.profile(neighbour: 0, tick: t, into: &profile)
                offTick.merge(neighbour: 0, profile: profile, ageTenths: 3, tick: t)
                b.arrivals.assign(from: offTick)
            }
            total += b.arrivals.expected(group: 0, fromTenths: 0, toTenths: 600)
        }

        for t in 1...2000 { tick(t) }
        malloc_counter_start_thread()
        for t in 2001...6000 { tick(t) }
        malloc_counter_stop_thread()
        let allocations = malloc_counter_thread_count()
        #expect(allocations == 0, "\(allocations) allocations in 4000 ticks")
        #expect(total > 0, "the forecast carried vehicles")
    }
}
