import FieldGPIO
import Testing

@Suite struct DebounceFilterTests {
    private let millisecond = 1_000_000

    @Test func withoutDebounceEveryEdgeIsAcceptedAtItsKernelTimestamp() {
        var filter = DebounceFilter(level: false, debounceNanoseconds: 0, nowNanoseconds: 0)
        let rise = filter.observe(level: true, atNanoseconds: 5 * millisecond)
        let fall = filter.observe(level: false, atNanoseconds: 6 * millisecond)
        #expect(rise.transition == .init(level: true, edgeNanoseconds: 5 * millisecond))
        #expect(fall.transition == .init(level: false, edgeNanoseconds: 6 * millisecond))
        #expect(filter.level == false)
        #expect(filter.deadlineNanoseconds == nil)
    }

    @Test func aLevelIsAcceptedOnceItHeldForTheDebounceDatedByItsEdge() {
        var filter = DebounceFilter(level: false, debounceNanoseconds: 20 * millisecond, nowNanoseconds: 0)
        #expect(filter.observe(level: true, atNanoseconds: 100 * millisecond).transition == nil)
        #expect(filter.deadlineNanoseconds == 120 * millisecond)
        #expect(filter.settle(nowNanoseconds: 119 * millisecond) == nil)
        #expect(filter.level == false)
        #expect(filter.settle(nowNanoseconds: 120 * millisecond) == .init(level: true, edgeNanoseconds: 100 * millisecond))
        #expect(filter.level == true)
        #expect(filter.settle(nowNanoseconds: 500 * millisecond) == nil, "an accepted level is not accepted twice")
    }

    @Test func aBounceShorterThanTheDebounceIsIgnored() {
        var filter = DebounceFilter(level: false, debounceNanoseconds: 20 * millisecond, nowNanoseconds: 0)
        _ = filter.observe(level: true, atNanoseconds: 100 * millisecond)
        _ = filter.observe(level: false, atNanoseconds: 105 * millisecond)
        #expect(filter.deadlineNanoseconds == nil, "back at the accepted level: nothing pending")
        #expect(filter.settle(nowNanoseconds: 200 * millisecond) == nil)
        #expect(filter.level == false)
    }

    @Test func chatterRestartsTheHoldUntilTheLineSettles() {
        var filter = DebounceFilter(level: false, debounceNanoseconds: 20 * millisecond, nowNanoseconds: 0)
        var time = 100 * millisecond
        for _ in 0..<5 {
            _ = filter.observe(level: true, atNanoseconds: time)
            _ = filter.observe(level: false, atNanoseconds: time + 5 * millisecond)
            _ = filter.observe(level: true, atNanoseconds: time + 10 * millisecond)
            time += 15 * millisecond
        }
        // The last rise came at 100 + 4 × 15 + 10 = 170 ms.
        #expect(filter.settle(nowNanoseconds: 189 * millisecond) == nil)
        #expect(filter.settle(nowNanoseconds: 190 * millisecond) == .init(level: true, edgeNanoseconds: 170 * millisecond))
    }

    @Test func aPendingLevelThatMaturedBeforeTheNextEdgeIsAcceptedWhenThatEdgeIsRead() {
        // The event thread may read two edges late together: the first had held long enough.
        var filter = DebounceFilter(level: false, debounceNanoseconds: 20 * millisecond, nowNanoseconds: 0)
        _ = filter.observe(level: true, atNanoseconds: 100 * millisecond)
        let fall = filter.observe(level: false, atNanoseconds: 150 * millisecond)
        #expect(fall.transition == .init(level: true, edgeNanoseconds: 100 * millisecond))
        #expect(filter.level == true)
        #expect(filter.settle(nowNanoseconds: 170 * millisecond) == .init(level: false, edgeNanoseconds: 150 * millisecond))
    }

    @Test func aRepeatedLevelIsFlaggedAndRestartsTheHold() {
        var filter = DebounceFilter(level: false, debounceNanoseconds: 20 * millisecond, nowNanoseconds: 0)
        #expect(!filter.observe(level: true, atNanoseconds: 100 * millisecond).repeated)
        #expect(filter.observe(level: true, atNanoseconds: 110 * millisecond).repeated)
        #expect(filter.settle(nowNanoseconds: 125 * millisecond) == nil)
        #expect(filter.settle(nowNanoseconds: 130 * millisecond) == .init(level: true, edgeNanoseconds: 110 * millisecond))
    }

    @Test func aRepeatedLevelWithoutDebounceGivesNoSecondTransition() {
        var filter = DebounceFilter(level: true, debounceNanoseconds: 0, nowNanoseconds: 0)
        let again = filter.observe(level: true, atNanoseconds: 10)
        #expect(again.repeated)
        #expect(again.transition == nil)
    }
}
