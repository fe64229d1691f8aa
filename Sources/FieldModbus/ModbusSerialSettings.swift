/// The line settings of a Modbus RTU serial device.
///
/// The values are passed to `modbus_new_rtu` as they are; the junction configuration accepts only
/// standard baud rates, parity N/E/O, 7 or 8 data bits and 1 or 2 stop bits.
public struct ModbusSerialSettings: Sendable, Hashable, CustomStringConvertible {
    /// Parity bit of each character.
    public enum Parity: String, Sendable, Hashable, CaseIterable {
        case none = "N"
        case even = "E"
        case odd = "O"
    }

    /// The serial device, such as `/dev/ttyUSB0`.
    public var device: String
    /// Bits per second.
    public var baud: Int
    /// Parity bit of each character.
    public var parity: Parity
    /// 7 or 8.
    public var dataBits: Int
    /// 1 or 2.
    public var stopBits: Int

    /// Settings as given.
    public init(device: String, baud: Int, parity: Parity, dataBits: Int, stopBits: Int) {
        self.device = device
        self.baud = baud
        self.parity = parity
        self.dataBits = dataBits
        self.stopBits = stopBits
    }

    /// Bits on the wire per character: start bit, data bits, parity bit if any, stop bits.
    public var bitsPerCharacter: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits }

    /// `/dev/ttyS1 19200 8E1`.
    public var description: String { "\(device) \(baud) \(dataBits)\(parity.rawValue)\(stopBits)" }
}
