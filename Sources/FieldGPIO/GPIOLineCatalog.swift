/// The GPIO chips and named lines of a machine, as wiring resolution sees them.
///
/// The production catalog asks libgpiod (`LibGPIOD.SystemCatalog`); tests use a table.
public protocol GPIOLineCatalog {
    /// The chip `spec` names (label, name, number or /dev path), or nil when none matches.
    /// Throws only when the chip exists but cannot be opened.
    func chip(matching spec: String, purpose: String) throws(GPIOError) -> GPIOChipDescription?

    /// Every chip present, for messages that list the alternatives.
    func allChips() -> [GPIOChipDescription]

    /// The first line called `name`, on `chip` when given (a spec as in `chip(matching:)`),
    /// else on any chip; nil when there is none.
    func line(named name: String, chip: String?, purpose: String) throws(GPIOError) -> GPIOLineLocation?
}
