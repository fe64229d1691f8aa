/// A first-in first-out ring of simulated vehicles.
///
/// It grows by doubling when full and never shrinks, so once a run has seen its longest queue
/// the simulator's tick allocates nothing.
struct VehicleRing {
    private var storage: [SimulatedVehicle]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        storage = Array(repeating: SimulatedVehicle(isMotorcycle: false, tick: 0), count: max(capacity, 1))
    }

    var isEmpty: Bool { count == 0 }

    var first: SimulatedVehicle? { count == 0 ? nil : storage[head] }

    mutating func append(_ vehicle: SimulatedVehicle) {
        if count == storage.count {
            grow()
        }
        storage[(head + count) % storage.count] = vehicle
        count += 1
    }

    @discardableResult
    mutating func removeFirst() -> SimulatedVehicle {
        precondition(count > 0, "removeFirst on an empty ring")
        let vehicle = storage[head]
        head = (head + 1) % storage.count
        count -= 1
        return vehicle
    }

    mutating func removeAll() {
        head = 0
        count = 0
    }

    private mutating func grow() {
        var larger = storage
        larger.reserveCapacity(storage.count * 2)
        // Unroll the ring so the oldest vehicle sits at index 0 of the larger storage.
        for offset in 0..<count {
            larger[offset] = storage[(head + offset) % storage.count]
        }
        larger.append(contentsOf: storage)
        storage = larger
        head = 0
    }
}
