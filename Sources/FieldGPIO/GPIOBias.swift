/// The pull resistor asked of the kernel for a line (libgpiod request flags).
public enum GPIOBias: String, Sendable, CaseIterable {
    /// Leave the line's bias as the board configured it (device tree, firmware).
    case asIs
    /// No pull resistor.
    case disabled
    /// Pull up: the usual choice for an open-collector detector output or an open-drain lamp
    /// driver without an external resistor.
    case pullUp
    /// Pull down.
    case pullDown
}
