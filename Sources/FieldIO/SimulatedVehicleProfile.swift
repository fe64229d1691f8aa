import SignalCore

/// How one class of vehicle moves through the simulated junction, in tenths of a second.
public struct SimulatedVehicleProfile: Sendable, Equatable {
    /// Least time between two departures over the stop line when this vehicle leads (saturation headway).
    public var headwayTenths: Tenths
    /// Time a departing vehicle occupies the stop-line loop; shorter than the headway, so each
    /// vehicle gives the loop its own rising edge.
    public var stopLineOccupancyTenths: Tenths
    /// Time the vehicle occupies the advance loop while passing it at approach speed.
    public var advanceOccupancyTenths: Tenths

    /// A profile with the given times; each must be positive and the occupancy below the headway.
    public init(headwayTenths: Tenths, stopLineOccupancyTenths: Tenths, advanceOccupancyTenths: Tenths) {
        self.headwayTenths = headwayTenths
        self.stopLineOccupancyTenths = stopLineOccupancyTenths
        self.advanceOccupancyTenths = advanceOccupancyTenths
    }

    /// A passenger car: 2 s saturation headway (about 1800 veh/h of green).
    public static let car = SimulatedVehicleProfile(
        headwayTenths: 20, stopLineOccupancyTenths: 10, advanceOccupancyTenths: 6
    )

    /// A motorcycle: 0.8 s headway, as motorcycles leave two or three abreast.
    public static let motorcycle = SimulatedVehicleProfile(
        headwayTenths: 8, stopLineOccupancyTenths: 5, advanceOccupancyTenths: 4
    )
}
