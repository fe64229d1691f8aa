/// How many characters Modbus RTU exchanges put on the wire, to check that a unit's requests fit
/// its timeout and poll interval at its baud rate.
///
/// It follows the backend's request plan: one request per run of consecutive addresses (at most
/// 2000 discrete inputs, 125 registers or 1968 coils), and for coils a write then a read-back.
/// Each exchange counts the request frame, the answer frame and the two 3.5-character silences
/// that end them (Modbus over serial line v1.02, 2.5.1.1).
enum ModbusFrameTiming {
    /// Characters of each exchange one poll makes.
    static func exchangeCharacters(discreteInputs: [Int], inputRegisters: [Int], coils: [Int]) -> [Int] {
        let silences = 7
        var exchanges: [Int] = []
        for count in runLengths(discreteInputs, limit: 2000) {
            exchanges.append(8 + 5 + (count + 7) / 8 + silences)
        }
        for count in runLengths(inputRegisters, limit: 125) {
            exchanges.append(8 + 5 + 2 * count + silences)
        }
        for count in runLengths(coils, limit: 1968) {
            let write = count == 1 ? 8 + 8 : 9 + (count + 7) / 8 + 8
            exchanges.append(write + silences)
            exchanges.append(8 + 5 + (count + 7) / 8 + silences)
        }
        return exchanges
    }

    /// Lengths of the runs of consecutive addresses in sorted, distinct `addresses`.
    static func runLengths(_ addresses: [Int], limit: Int) -> [Int] {
        var lengths: [Int] = []
        var previous: Int?
        for address in addresses {
            if let last = previous, address == last + 1, let current = lengths.last, current < limit {
                lengths[lengths.count - 1] += 1
            } else {
                lengths.append(1)
            }
            previous = address
        }
        return lengths
    }
}
