/// Turns running detector totals into NTCIP volume/occupancy periods.
///
/// NTCIP 1202 reports the last *completed* collection period: `detectorVolume` (0–254 vehicles,
/// 255 overflow) and `detectorOccupancy` (0–200 in half percent), with `volumeOccupancySequence`
/// counting completed periods modulo 256. The sampler keeps the totals at the start of the running
/// period and closes a period whenever `observe` is called at or after its end, so its result does
/// not depend on how often it is asked. Periods with no observation at all (the subagent was
/// not polled) are closed as one long period, scaled to stay comparable.
public struct VolumeOccupancySampler: Sendable, Equatable {
    /// The length of a collection period, in seconds (1–255, the MIB's range).
    public let periodSeconds: Int
    /// Completed periods modulo 256.
    public private(set) var sequence: UInt8 = 0
    /// Per detector, the last completed period's volume (0–255); empty before the first period ends.
    public private(set) var volumes: [Int] = []
    /// Per detector, the last completed period's occupancy in half percent (0–200).
    public private(set) var occupancies: [Int] = []
    private var startTenths: Int?
    private var startActuations: [UInt64] = []
    private var startOccupiedTicks: [UInt64] = []

    /// A sampler with `periodSeconds` periods (clamped to 1–255).
    public init(periodSeconds: Int) {
        self.periodSeconds = min(255, max(1, periodSeconds))
    }

    /// Records the totals (actuations and occupied 100 ms ticks per detector) at `nowTenths`
    /// (a monotonic time in tenths of a second), closing the running period if it has ended.
    public mutating func observe(actuations: [UInt64], occupiedTicks: [UInt64], nowTenths: Int) {
        guard let start = startTenths, startActuations.count == actuations.count,
            startOccupiedTicks.count == occupiedTicks.count
        else {
            restart(actuations: actuations, occupiedTicks: occupiedTicks, nowTenths: nowTenths)
            return
        }
        let periodTenths = periodSeconds * 10
        let elapsed = nowTenths - start
        guard elapsed >= periodTenths else { return }
        // A late observation covers several periods; scale so a rate, not a sum, is reported.
        let periods = elapsed / periodTenths
        volumes = zip(actuations, startActuations).map { now, then in
            min(255, Int(clamping: (now &- then) / UInt64(periods)))
        }
        occupancies = zip(occupiedTicks, startOccupiedTicks).map { now, then in
            min(200, Int(clamping: (now &- then) * 200 / UInt64(max(1, elapsed))))
        }
        sequence &+= 1
        startTenths = start + periods * periodTenths
        startActuations = actuations
        startOccupiedTicks = occupiedTicks
    }

    private mutating func restart(actuations: [UInt64], occupiedTicks: [UInt64], nowTenths: Int) {
        startTenths = nowTenths
        startActuations = actuations
        startOccupiedTicks = occupiedTicks
        volumes = []
        occupancies = []
    }
}
