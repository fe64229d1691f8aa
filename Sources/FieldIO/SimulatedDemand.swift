import SignalCore

/// The traffic the simulated junction generates, and how it moves.
///
/// Flows are per signal group: vehicles an hour for vehicle and turn-arrow groups, pedestrians
/// an hour for pedestrian groups. Arrivals are a Bernoulli trial per tick with probability
/// `flow / 36000`, the discrete-time form of a Poisson stream, so flows range over `0...36000`.
public struct SimulatedDemand: Sendable, Equatable {
    /// One flow per signal group, in arrivals an hour (`0...36000`).
    public var flowsPerHour: [Int]
    /// Share of arriving vehicles that are motorcycles, in thousandths (`0...1000`).
    public var motorcyclePerMille: Int
    /// How cars move.
    public var car: SimulatedVehicleProfile
    /// How motorcycles move.
    public var motorcycle: SimulatedVehicleProfile
    /// Time from the start of green until a stopped queue begins to move (start-up lost time).
    public var startLossTenths: Tenths
    /// Travel time from the advance loop (about 50 m upstream) to the stop line or the back of the queue.
    public var advanceTravelTenths: Tenths
    /// How long a pedestrian holds the push button down.
    public var buttonPressTenths: Tenths

    /// Demand with every group at the default flow for its kind and Cirebon-like traffic:
    /// 60% motorcycles, 1 s start-up loss, 50 m at 40 km/h from advance loop to stop line.
    public init(
        junction: Junction,
        vehicleFlowPerHour: Int = 600,
        turnArrowFlowPerHour: Int = 200,
        pedestrianFlowPerHour: Int = 60,
        motorcyclePerMille: Int = 600
    ) {
        flowsPerHour = junction.groups.map { group in
            switch group.kind {
            case .vehicle: return vehicleFlowPerHour
            case .turnArrow: return turnArrowFlowPerHour
            case .pedestrian: return pedestrianFlowPerHour
            }
        }
        self.motorcyclePerMille = motorcyclePerMille
        car = .car
        motorcycle = .motorcycle
        startLossTenths = 10
        advanceTravelTenths = 45
        buttonPressTenths = 5
    }

    /// The profile of a motorcycle or a car.
    func profile(motorcycle isMotorcycle: Bool) -> SimulatedVehicleProfile {
        isMotorcycle ? motorcycle : car
    }
}
