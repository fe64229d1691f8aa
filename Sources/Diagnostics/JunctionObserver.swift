import SignalCore

/// What the diagnostic server learns by watching the controller from outside: how long each
/// group has shown its aspect, and per-detector volume and occupancy, since it started and over a
/// sliding minute, plus how greens ended.
///
/// It is fed status snapshots (`observe`, about once per tick) and journal events (`record`, in
/// order). Interval times are as observed, within the time between two snapshots; occupancy is
/// sampled presence held until the next snapshot; volume counts detector-on events exactly.
public struct JunctionObserver: Sendable {
    /// The sliding window: one slot per second.
    static let windowSeconds = 60
    private static let tenthsPerSecond = 10
    /// A gap between snapshots longer than this is not counted as occupied time: the server
    /// did not see what happened in between.
    private static let longestHeldSample: Tenths = 10

    private struct Slot: Sendable {
        var second = -1
        var actuations: [Int]
        var occupiedTenths: [Int]
    }

    /// The tick of the first snapshot; counts run from here.
    public private(set) var startTick: Tenths?
    /// The tick of the latest snapshot.
    public private(set) var lastTick: Tenths?
    private var states: [SignalState?]
    private var stateSince: [Tenths?]
    private var presence: [Bool]
    private var actuations: [Int]
    private var occupiedTenths: [Int]
    private var slots: [Slot]
    private var greens: [Int]
    private var gapOuts: [Int]
    private var maxOuts: [Int]
    private var forceOffs: [Int]
    private var terminations: [Int]

    /// An observer of a junction with `groupCount` groups and `detectorCount` detectors.
    public init(groupCount: Int, detectorCount: Int) {
        states = Array(repeating: nil, count: groupCount)
        stateSince = Array(repeating: nil, count: groupCount)
        presence = Array(repeating: false, count: detectorCount)
        actuations = Array(repeating: 0, count: detectorCount)
        occupiedTenths = Array(repeating: 0, count: detectorCount)
        let empty = Array(repeating: 0, count: detectorCount)
        slots = Array(repeating: Slot(actuations: empty, occupiedTenths: empty), count: Self.windowSeconds)
        greens = Array(repeating: 0, count: groupCount)
        gapOuts = greens
        maxOuts = greens
        forceOffs = greens
        terminations = greens
    }

    // MARK: - Feeding

    /// Takes a status snapshot; snapshots of an older or the same tick are ignored.
    public mutating func observe(_ status: ControllerStatus) {
        if let lastTick, status.tick <= lastTick { return }
        let held = lastTick.map { min(status.tick - $0, Self.longestHeldSample) } ?? 0
        for d in presence.indices where presence[d] && held > 0 {
            occupiedTenths[d] += held
            slot(for: status.tick) { $0.occupiedTenths[d] += held }
        }
        for d in presence.indices where status.detectorPresence.indices.contains(d) {
            presence[d] = status.detectorPresence[d] && status.detectorHealth[d] != .communication
        }
        for g in states.indices where status.signals.indices.contains(g) {
            if states[g] != status.signals[g] {
                // The first snapshot cannot tell when its aspects began.
                stateSince[g] = lastTick == nil ? nil : status.tick
                states[g] = status.signals[g]
            }
        }
        if startTick == nil { startTick = status.tick }
        lastTick = status.tick
    }

    /// Takes one journal event, in journal order.
    public mutating func record(_ event: ControllerEvent) {
        let index = event.parameter - 1
        switch event.code {
        case .detectorOn where actuations.indices.contains(index):
            actuations[index] += 1
            slot(for: event.tick) { $0.actuations[index] += 1 }
        case .phaseBeginGreen, .pedBeginWalk:
            if greens.indices.contains(index) { greens[index] += 1 }
        case .phaseGapOut:
            if gapOuts.indices.contains(index) { gapOuts[index] += 1 }
        case .phaseMaxOut:
            if maxOuts.indices.contains(index) { maxOuts[index] += 1 }
        case .phaseForceOff:
            if forceOffs.indices.contains(index) { forceOffs[index] += 1 }
        case .phaseGreenTermination:
            if terminations.indices.contains(index) { terminations[index] += 1 }
        default:
            break
        }
    }

    private mutating func slot(for tick: Tenths, _ update: (inout Slot) -> Void) {
        let second = tick / Self.tenthsPerSecond
        if let lastTick, second <= lastTick / Self.tenthsPerSecond - Self.windowSeconds { return }
        let index = second % Self.windowSeconds
        if slots[index].second < second {
            slots[index].second = second
            for d in slots[index].actuations.indices {
                slots[index].actuations[d] = 0
                slots[index].occupiedTenths[d] = 0
            }
        } else if slots[index].second > second {
            return
        }
        update(&slots[index])
    }

    // MARK: - Reading

    /// How long group `group` has shown its present aspect at `tick`, or nil when not yet seen begin.
    public func intervalTenths(group: Int, at tick: Tenths) -> Int? {
        guard stateSince.indices.contains(group), let since = stateSince[group] else { return nil }
        return max(tick - since, 0)
    }

    /// Detector-on events since the first snapshot (0 for a detector this observer does not have).
    public func actuations(detector: Int) -> Int {
        actuations.indices.contains(detector) ? actuations[detector] : 0
    }

    /// Occupancy since the first snapshot, in tenths of a percent.
    public func occupancyPermille(detector: Int) -> Int {
        guard let startTick, let lastTick, lastTick > startTick, occupiedTenths.indices.contains(detector) else { return 0 }
        return min(occupiedTenths[detector] * 1000 / (lastTick - startTick), 1000)
    }

    /// Detector-on events in the last 60 s.
    public func recentActuations(detector: Int) -> Int {
        guard actuations.indices.contains(detector) else { return 0 }
        return windowSlots().reduce(0) { $0 + $1.actuations[detector] }
    }

    /// Occupancy over the last 60 s (or since the first snapshot, if shorter), in tenths of a percent.
    public func recentOccupancyPermille(detector: Int) -> Int {
        guard let startTick, let lastTick, occupiedTenths.indices.contains(detector) else { return 0 }
        let windowStart = max(startTick, (lastTick / Self.tenthsPerSecond - Self.windowSeconds + 1) * Self.tenthsPerSecond)
        guard lastTick > windowStart else { return 0 }
        let occupied = windowSlots().reduce(0) { $0 + $1.occupiedTenths[detector] }
        return min(occupied * 1000 / (lastTick - windowStart), 1000)
    }

    private func windowSlots() -> [Slot] {
        guard let lastTick else { return [] }
        let newest = lastTick / Self.tenthsPerSecond
        return slots.filter { $0.second > newest - Self.windowSeconds && $0.second <= newest }
    }

    /// The `counts` reply for `junction`; a group or detector this observer does not have counts 0.
    public func counts(junction: Junction) -> CountsReport {
        func count(_ values: [Int], _ index: Int) -> Int { values.indices.contains(index) ? values[index] : 0 }
        return CountsReport(
            tick: lastTick ?? 0, sinceTick: startTick ?? 0,
            detectors: junction.detectors.indices.map { d in
                CountsReport.Detector(
                    number: d + 1, name: junction.detectors[d].name, actuations: actuations(detector: d),
                    recentActuations: recentActuations(detector: d), occupancyPermille: occupancyPermille(detector: d),
                    recentOccupancyPermille: recentOccupancyPermille(detector: d))
            },
            groups: junction.groups.indices.map { g in
                CountsReport.Group(
                    number: g + 1, name: junction.groups[g].name, greens: count(greens, g), gapOuts: count(gapOuts, g),
                    maxOuts: count(maxOuts, g), forceOffs: count(forceOffs, g), terminations: count(terminations, g))
            })
    }
}
