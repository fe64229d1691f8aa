import SignalCore
import Wire

/// The recent presence changes of one junction's loops, from its detector on/off events, so central can tell
/// each loop's occupancy over the last few minutes between the junction's 15-minute count bins.
///
/// Keeps only what the window needs: changes older than the window, except each loop's last one before it (its
/// state at the window's start), are dropped as new ones arrive, so memory stays bounded by the traffic in one
/// window. Records may arrive out of order after an outage; occupancy sorts them, so the answer does not depend on
/// arrival order.
public struct DetectorActivity: Sendable, Equatable {
    /// One presence change: when (junction clock, Unix milliseconds), which loop (0-based), and on or off.
    struct Change: Sendable, Equatable {
        var milliseconds: Int64
        var detector: Int
        var on: Bool
    }

    /// Changes stamped further ahead of central's clock are ignored: one event from a junction clock that stepped
    /// ahead (before NTP set it) would otherwise move the window's end there for good, and every real change would
    /// fall before the window. The same bound marks records as stamped ahead in central's counters and ends the
    /// `counts?hours=` answer.
    public static let aheadToleranceMilliseconds: Int64 = 60_000

    private var changes: [Change] = []
    /// The newest change's time: the window ends here or at a later report time.
    public private(set) var newestMilliseconds: Int64?
    private let windowMilliseconds: Int64

    public init(windowMilliseconds: Int) {
        self.windowMilliseconds = Int64(windowMilliseconds)
    }

    /// Takes one event record received at `receivedMilliseconds` (central's clock); anything other than detector on
    /// (82) and off (81), or stamped more than `aheadToleranceMilliseconds` after it, is ignored.
    public mutating func record(_ event: EventRecord, receivedMilliseconds: Int64) {
        let on: Bool
        switch event.code {
        case EventCode.detectorOn.rawValue: on = true
        case EventCode.detectorOff.rawValue: on = false
        default: return
        }
        guard event.parameter >= 1 else { return }
        let milliseconds = Int64(clamping: event.timeMilliseconds)
        guard milliseconds - Self.aheadToleranceMilliseconds <= receivedMilliseconds else { return }
        changes.append(Change(milliseconds: milliseconds, detector: Int(event.parameter) - 1, on: on))
        newestMilliseconds = max(newestMilliseconds ?? milliseconds, milliseconds)
        // Pruning costs a pass over the window, so it runs only when the list has doubled since the last one.
        if changes.count >= 2 * prunedCount + 64 { prune() }
    }

    private var prunedCount = 0

    private mutating func prune() {
        guard let newest = newestMilliseconds else { return }
        let start = newest - windowMilliseconds
        changes.sort { $0.milliseconds < $1.milliseconds }
        var lastBefore: [Int: Change] = [:]
        var kept: [Change] = []
        for change in changes {
            if change.milliseconds < start { lastBefore[change.detector] = change } else { kept.append(change) }
        }
        changes = lastBefore.values.sorted { $0.milliseconds < $1.milliseconds } + kept
        prunedCount = changes.count
    }

    /// Each loop's occupancy over the window ending at `endMilliseconds`, in permille, by 0-based detector index.
    /// A loop with no change in or before the window is absent (read it as 0).
    public func occupancyPermille(endingAt endMilliseconds: Int64) -> [Int: Int] {
        let start = endMilliseconds - windowMilliseconds
        var onSince: [Int: Int64] = [:]
        var occupied: [Int: Int64] = [:]
        for change in changes.sorted(by: { $0.milliseconds < $1.milliseconds }) where change.milliseconds <= endMilliseconds {
            let time = max(change.milliseconds, start)
            if occupied[change.detector] == nil { occupied[change.detector] = 0 }
            if change.on {
                if onSince[change.detector] == nil { onSince[change.detector] = time }
            } else if let since = onSince.removeValue(forKey: change.detector) {
                occupied[change.detector, default: 0] += time - since
            }
        }
        for (detector, since) in onSince { occupied[detector, default: 0] += endMilliseconds - since }
        return occupied.mapValues { Int($0 * 1000 / windowMilliseconds) }
    }
}
