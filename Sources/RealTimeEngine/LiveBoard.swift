import SignalCore
import SystemInterface

/// What the control loop publishes every tick for the other threads: status, events, counters.
///
/// The tick's one exchange out: it writes in place under the board's lock, once per tick; readers
/// take detached copies (`ControllerStatus.detached()`, `DetectorTotals.detached()`) under the same
/// lock, so a reader never makes the tick allocate by sharing its arrays. After a reload the tick
/// swaps in a status prepared for the new strategy rather than resizing this one.
public struct LiveBoard: Sendable {
    public var status: ControllerStatus
    public var journal: EventJournal
    public var counters = EngineCounters()
    /// The loop's heartbeat: ticks completed.
    public var ticks: UInt64 = 0
    /// Actuations and occupied ticks per detector since start, for count bins.
    public var detectorTotals: DetectorTotals
    /// The clock discipline's findings, written off the tick (`ClockService`).
    public var clock: ClockStatus

    package init(status: ControllerStatus, journalCapacity: Int) {
        self.status = status
        journal = EventJournal(capacity: journalCapacity)
        detectorTotals = DetectorTotals(detectorCount: status.detectorPresence.count)
        clock = ClockStatus(startedMonotonicNanoseconds: Clocks.monotonicNanoseconds())
    }

    /// Journals an event found outside the tick (an audit record, a clock step), stamped with the
    /// controller's current tick.
    package mutating func journalOffTick(_ event: (Tenths) -> ControllerEvent, wallMilliseconds: Int) {
        journal.append(event(status.tick), wallMilliseconds: wallMilliseconds)
    }
}

extension ControllerStatus {
    /// A copy that shares no storage with `self`, so the writer keeps its arrays unique.
    public func detached() -> ControllerStatus {
        var copy = self
        copy.signals = signals.map { $0 }
        copy.calls = calls.map { $0 }
        copy.lastTermination = lastTermination.map { $0 }
        copy.detectorHealth = detectorHealth.map { $0 }
        copy.detectorPresence = detectorPresence.map { $0 }
        copy.adaptive = adaptive.map { adaptive in
            var detached = adaptive
            detached.decisions = adaptive.decisions.map { $0 }
            detached.maxGreen = adaptive.maxGreen.map { $0 }
            detached.degreeOfSaturationPercent = adaptive.degreeOfSaturationPercent.map { $0 }
            detached.queuedVehicles = adaptive.queuedVehicles.map { $0 }
            detached.advanceTravel = adaptive.advanceTravel.map { $0 }
            return detached
        }
        return copy
    }
}
