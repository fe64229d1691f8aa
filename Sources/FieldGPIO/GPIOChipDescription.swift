/// What the backend needs to know of a GPIO chip to resolve wiring against it.
public struct GPIOChipDescription: Sendable, Equatable, CustomStringConvertible {
    /// The kernel's name (`gpiochip0`).
    public var name: String
    /// The chip's label (`pinctrl-bcm2711`, a gpio-sim bank's label).
    public var label: String
    /// How many lines the chip has; offsets run from 0 to `lineCount - 1`.
    public var lineCount: Int

    /// A chip as the kernel describes it.
    public init(name: String, label: String, lineCount: Int) {
        self.name = name
        self.label = label
        self.lineCount = lineCount
    }

    /// `gpiochip0 [pinctrl-bcm2711]`.
    public var description: String { "\(name) [\(label)]" }
}
