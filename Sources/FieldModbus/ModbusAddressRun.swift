/// A block of consecutive addresses read or written in one Modbus request.
///
/// Only addresses the wiring names are ever put in a run, so the backend never writes a coil it
/// does not own and never reads an address a device may not have. Map a device's points next to
/// each other to poll them in one request.
struct ModbusAddressRun: Sendable, Equatable {
    /// First protocol address.
    var start: Int
    /// Number of addresses, at least 1.
    var count: Int
    /// Where the run's first value sits in the unit's value buffer.
    var offset: Int

    /// Splits sorted, distinct `addresses` into runs of consecutive addresses, none longer than
    /// `limit` (the protocol's per-request maximum), with offsets into a buffer holding the values
    /// in the same order.
    static func runs(covering addresses: [Int], limit: Int) -> [ModbusAddressRun] {
        precondition(limit > 0, "a run holds at least one address")
        var runs: [ModbusAddressRun] = []
        for (offset, address) in addresses.enumerated() {
            if let last = runs.last, last.start + last.count == address, last.count < limit {
                runs[runs.count - 1].count += 1
            } else {
                precondition(runs.last.map { $0.start + $0.count <= address } ?? true, "addresses sorted and distinct")
                runs.append(ModbusAddressRun(start: address, count: 1, offset: offset))
            }
        }
        return runs
    }

    /// `12–15`, or `12` for a run of one.
    var rangeText: String { count == 1 ? "\(start)" : "\(start)–\(start + count - 1)" }
}
