/// How a Modbus device is reached: TCP to an IPv4 address, or RTU over a serial line.
///
/// Units with the same transport (one TCP endpoint, or one serial device carrying an RS-485 bus)
/// share one connection and one polling thread, since a serial line can have only one master.
public enum ModbusTransport: Sendable, Hashable, CustomStringConvertible {
    /// Modbus TCP to `host` (a dotted IPv4 address, as libmodbus's `modbus_new_tcp` takes) and `port`.
    case tcp(host: String, port: Int)
    /// Modbus RTU on a serial device.
    case rtu(ModbusSerialSettings)

    /// `tcp 10.0.0.5:502` or `rtu /dev/ttyS1 19200 8E1`, for logs and errors.
    public var description: String {
        switch self {
        case .tcp(let host, let port): return "tcp \(host):\(port)"
        case .rtu(let serial): return "rtu \(serial)"
        }
    }

    /// What identifies the shared link: the TCP endpoint, or the serial device alone (one bus
    /// cannot run two line settings, which the configuration checks).
    var linkKey: String {
        switch self {
        case .tcp(let host, let port): return "tcp:\(host):\(port)"
        case .rtu(let serial): return "rtu:\(serial.device)"
        }
    }
}
