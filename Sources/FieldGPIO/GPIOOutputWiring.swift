import FieldIO

/// The output side of the GPIO wiring: lamp lines for every group, and the watchdog line.
public struct GPIOOutputWiring: Sendable, Equatable {
    /// One entry per signal group of the junction.
    public var lamps: [GPIOLampWiring]
    /// The line toggled once per healthy tick for the cabinet's conflict monitor or flasher.
    public var watchdog: GPIOLineAddress
    /// How the lamp lines are driven; the watchdog line is always push-pull.
    public var drive: GPIODrive
    /// True when a lamp is lit by driving its line low (most relay boards).
    public var activeLow: Bool
    /// The pull asked for on the lamp lines (open-drain drivers without an external resistor
    /// need `pullUp`).
    public var bias: GPIOBias

    /// Output wiring; by default push-pull, active high, bias as the board set it.
    public init(
        lamps: [GPIOLampWiring], watchdog: GPIOLineAddress, drive: GPIODrive = .pushPull, activeLow: Bool = false,
        bias: GPIOBias = .asIs
    ) {
        self.lamps = lamps
        self.watchdog = watchdog
        self.drive = drive
        self.activeLow = activeLow
        self.bias = bias
    }
}
