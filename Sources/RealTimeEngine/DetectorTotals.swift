import SignalCore

/// Running totals per detector since the loop started, for the store writer's count bins:
/// actuations (vehicles) and ticks occupied. The tick adds to them in place without allocating;
/// readers take `detached()` copies and bin by differences, so they never need resetting.
public struct DetectorTotals: Sendable, Equatable {
    /// Rising edges counted per detector (wrapping, which differences survive).
    public private(set) var actuations: [UInt64]
    /// Ticks on which each detector showed presence.
    public private(set) var occupiedTicks: [UInt64]

    /// Zero totals for `detectorCount` detectors.
    public init(detectorCount: Int) {
        actuations = Array(repeating: 0, count: detectorCount)
        occupiedTicks = Array(repeating: 0, count: detectorCount)
    }

    /// Adds one tick's snapshot (same detector count).
    package mutating func add(_ snapshot: DetectorSnapshot) {
        for index in actuations.indices where index < snapshot.count {
            actuations[index] &+= UInt64(snapshot.actuations[index])
            if snapshot.presence[index] { occupiedTicks[index] &+= 1 }
        }
    }

    /// A copy that shares no storage with `self`, so the tick keeps its arrays unique.
    public func detached() -> DetectorTotals {
        var copy = self
        copy.actuations = actuations.map { $0 }
        copy.occupiedTicks = occupiedTicks.map { $0 }
        return copy
    }
}
