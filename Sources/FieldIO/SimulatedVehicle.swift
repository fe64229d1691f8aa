import SignalCore

/// One simulated road user waiting or travelling on an approach.
struct SimulatedVehicle {
    var isMotorcycle: Bool
    /// While travelling: the tick it reaches the stop line. While queued: the tick it joined.
    var tick: Tenths
}
