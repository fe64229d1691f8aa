import SignalCore

/// Which detector, lamp or watchdog holds each address of each Modbus unit, to report an address
/// used twice. Discrete inputs, input registers and coils are separate address spaces.
struct ModbusAddressBook {
    /// A Modbus data table.
    enum Space: String {
        case discreteInput = "discrete input"
        case inputRegister = "input register"
        case coil
    }

    private struct Key: Hashable {
        var space: String
        var unit: Int
        var address: Int
    }

    private var owners: [Key: String] = [:]

    /// Records `owner` at `address`, or reports at `path` that another owner holds it already.
    mutating func claim(
        _ space: Space, _ address: Int, unit: Int, unitName: String, owner: String,
        at path: [JunctionProblem.PathComponent],
        _ log: ProblemLog
    ) {
        let key = Key(space: space.rawValue, unit: unit, address: address)
        if let holder = owners[key] {
            log.report(
                .invalidValue, path, "\(space.rawValue) \(address) of unit \(unitName) is already used by \(holder)")
            return
        }
        owners[key] = owner
    }

    /// The addresses of `space` on `unit`, in ascending order.
    func addresses(_ space: Space, unit: Int) -> [Int] {
        owners.keys.filter { $0.space == space.rawValue && $0.unit == unit }.map(\.address).sorted()
    }
}
