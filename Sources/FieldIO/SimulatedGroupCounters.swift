import SignalCore

/// Traffic totals for one signal group of the simulated junction since it was created.
///
/// `arrived == departed + queue` always holds. Vehicles between the advance loop and the stop
/// line are in `approaching` and not yet in `arrived`.
public struct SimulatedGroupCounters: Sendable, Equatable {
    /// Road users that reached the stop line (pedestrians: the kerb), whether they stopped or not.
    public var arrived: Int
    /// Of those, motorcycles.
    public var motorcyclesArrived: Int
    /// Road users that crossed the stop line (pedestrians: started crossing).
    public var departed: Int
    /// Road users waiting at the stop line now, including a queue still discharging.
    public var queue: Int
    /// Vehicles past the advance loop and not yet at the stop line now.
    public var approaching: Int
    /// The sum over ticks of the queue length: waiting time in vehicle-tenths.
    public var delayTenths: Int

    /// All counts zero.
    public init(
        arrived: Int = 0, motorcyclesArrived: Int = 0, departed: Int = 0, queue: Int = 0,
        approaching: Int = 0, delayTenths: Int = 0
    ) {
        self.arrived = arrived
        self.motorcyclesArrived = motorcyclesArrived
        self.departed = departed
        self.queue = queue
        self.approaching = approaching
        self.delayTenths = delayTenths
    }

    /// Total waiting time in vehicle-seconds (person-seconds for pedestrian groups).
    public var delayVehicleSeconds: Double { Double(delayTenths) / 10 }

    /// The element-wise sum, for junction totals.
    public static func + (lhs: SimulatedGroupCounters, rhs: SimulatedGroupCounters) -> SimulatedGroupCounters {
        SimulatedGroupCounters(
            arrived: lhs.arrived + rhs.arrived,
            motorcyclesArrived: lhs.motorcyclesArrived + rhs.motorcyclesArrived,
            departed: lhs.departed + rhs.departed,
            queue: lhs.queue + rhs.queue,
            approaching: lhs.approaching + rhs.approaching,
            delayTenths: lhs.delayTenths + rhs.delayTenths
        )
    }
}
