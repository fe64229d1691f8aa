/// Which Modbus unit and addresses serve each detector, each signal group's lamps and the
/// cabinet watchdog: the resolved `[modbus]` section of a junction file.
///
/// Indices refer to `Junction.detectors`, `Junction.groups` and `units`. Addresses are the
/// 0-based protocol addresses (0–65535) sent on the wire, not 1-based "register numbers".
public struct ModbusWiring: Sendable, Equatable {
    /// A detector's inputs: a presence bit, a 16-bit actuation counter, or both.
    public struct DetectorPoint: Sendable, Equatable {
        /// Index into `Junction.detectors`.
        public var detector: Int
        /// The detector's name, for logs.
        public var name: String
        /// Index into `units`.
        public var unit: Int
        /// Discrete input (function 02) that is on while the detector is occupied.
        public var presenceInput: Int?
        /// Input register (function 04) counting actuations, wrapping at 65536.
        public var countRegister: Int?

        /// A point as given; at least one of `presenceInput` and `countRegister` is set.
        public init(detector: Int, name: String, unit: Int, presenceInput: Int?, countRegister: Int?) {
            self.detector = detector
            self.name = name
            self.unit = unit
            self.presenceInput = presenceInput
            self.countRegister = countRegister
        }
    }

    /// A signal group's lamp coils.
    public struct LampPoint: Sendable, Equatable {
        /// Index into `Junction.groups`.
        public var group: Int
        /// The group's name, for logs.
        public var name: String
        /// Index into `units`.
        public var unit: Int
        /// The coil of each lamp of the head.
        public var coils: LampCoils

        /// A point as given.
        public init(group: Int, name: String, unit: Int, coils: LampCoils) {
            self.group = group
            self.name = name
            self.unit = unit
            self.coils = coils
        }
    }

    /// The coil toggled while the controller is healthy.
    public struct CoilPoint: Sendable, Equatable {
        /// Index into `units`.
        public var unit: Int
        /// The coil address.
        public var coil: Int

        /// A point as given.
        public init(unit: Int, coil: Int) {
            self.unit = unit
            self.coil = coil
        }
    }

    /// The devices, polled in this order within each link.
    public var units: [ModbusUnit]
    /// At most one point per detector; a detector without one is always in communication fault.
    public var detectors: [DetectorPoint]
    /// At most one point per group; a group without one is never confirmed.
    public var lamps: [LampPoint]
    /// The watchdog coil, if the cabinet has a watchdog input.
    public var watchdog: CoilPoint?
    /// Seconds between statistics log lines (requests, latency, counters); 0 for none.
    public var statisticsLogSeconds: Int

    /// Wiring as given; the configuration has checked names, addresses and serial settings.
    public init(
        units: [ModbusUnit], detectors: [DetectorPoint], lamps: [LampPoint], watchdog: CoilPoint?,
        statisticsLogSeconds: Int
    ) {
        self.units = units
        self.detectors = detectors
        self.lamps = lamps
        self.watchdog = watchdog
        self.statisticsLogSeconds = statisticsLogSeconds
    }
}
