/// How an output line drives its lamp driver.
public enum GPIODrive: String, Sendable, CaseIterable {
    /// Driven high and low.
    case pushPull
    /// Driven low, released (high impedance) for high: the line then reads the level the load
    /// and pull resistor make, so a shorted or overloaded driver shows up in the read-back.
    case openDrain
    /// Driven high, released for low.
    case openSource
}
