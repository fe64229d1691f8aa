/// The `[modbus]` section once checked and resolved: the Modbus units (detector cards, I/O
/// modules) and which of their addresses serve each detector, each group's lamps and the watchdog.
///
/// Guarantees of a loaded configuration:
/// - every unit has a valid transport (an IPv4 address and port, or a serial device with a
///   standard baud rate, parity N/E/O, 7 or 8 data bits, 1 or 2 stop bits), a unit id valid for it,
///   and `timeoutMilliseconds < pollIntervalMilliseconds <= staleAfterMilliseconds - timeoutMilliseconds`;
/// - units sharing a serial device share its line settings and have distinct unit ids;
/// - when `[field] detectors = "modbus"`, every detector has exactly one entry; when
///   `outputs = "modbus"`, every group has exactly one lamp entry with the coils its kind needs;
/// - no address is used twice on one unit (discrete inputs, input registers and coils apart).
///
/// Addresses are 0-based protocol addresses (0–65535). Indices refer to `units`,
/// `Junction.detectors` and `Junction.groups`.
public struct ModbusSettings: Sendable, Equatable {
    /// Parity of a serial line.
    public enum Parity: String, Sendable, Equatable, CaseIterable {
        case none = "N"
        case even = "E"
        case odd = "O"
    }

    /// How a unit is reached.
    public enum Transport: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case rtu(device: String, baud: Int, parity: Parity, dataBits: Int, stopBits: Int)
    }

    /// One Modbus device.
    public struct Unit: Sendable, Equatable {
        /// The `name` of its `[[modbus.units]]` entry, unique in the file.
        public var name: String
        /// How it is reached.
        public var transport: Transport
        /// The Modbus unit (slave) id: 0–247 or 255 over TCP, 1–247 over RTU.
        public var unitID: Int
        /// Time between the starts of two polls (10–60000 ms; default 100).
        public var pollIntervalMilliseconds: Int
        /// Longest wait for one answer, shorter than the poll interval (default half of it).
        public var timeoutMilliseconds: Int
        /// Age beyond which a reading is not used, at least poll interval + timeout (default three polls).
        public var staleAfterMilliseconds: Int
    }

    /// A detector's inputs: a presence bit, a 16-bit actuation counter, or both.
    public struct DetectorInput: Sendable, Equatable {
        /// Index into `Junction.detectors`.
        public var detector: Int
        /// Index into `units`.
        public var unit: Int
        /// Discrete input on while occupied (function 02).
        public var presenceInput: Int?
        /// Input register counting actuations (function 04).
        public var countRegister: Int?
    }

    /// The coils lighting one group's lamps.
    public enum LampCoils: Sendable, Equatable {
        case vehicle(red: Int, amber: Int, green: Int)
        case pedestrian(dontWalk: Int, walk: Int)
    }

    /// One group's lamps.
    public struct Lamp: Sendable, Equatable {
        /// Index into `Junction.groups`.
        public var group: Int
        /// Index into `units`.
        public var unit: Int
        /// The coil of each lamp of the head; the kind matches the group's.
        public var coils: LampCoils
    }

    /// The coil toggled while the controller is healthy.
    public struct Watchdog: Sendable, Equatable {
        /// Index into `units`.
        public var unit: Int
        /// The coil address.
        public var coil: Int
    }

    /// Every valid unit of the file, in file order.
    public var units: [Unit]
    /// Empty unless `[field] detectors = "modbus"`.
    public var detectors: [DetectorInput]
    /// Empty unless `[field] outputs = "modbus"`.
    public var lamps: [Lamp]
    /// Nil unless given and `[field] outputs = "modbus"`.
    public var watchdog: Watchdog?
    /// Seconds between statistics log lines; 0 for none.
    public var statisticsLogSeconds: Int
}
