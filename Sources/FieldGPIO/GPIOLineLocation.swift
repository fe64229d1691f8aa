/// A physical line once its address is resolved: the chip's kernel name and label, and the offset.
///
/// Two locations are the same line when chip name and offset agree, whatever the label.
public struct GPIOLineLocation: Sendable, Hashable, CustomStringConvertible {
    /// The kernel's name of the chip (`gpiochip0`), unique on the machine while it runs.
    public var chipName: String
    /// The chip's label (`pinctrl-bcm2711`), for messages.
    public var chipLabel: String
    /// The 0-based line offset on the chip.
    public var offset: Int

    /// A resolved line.
    public init(chipName: String, chipLabel: String, offset: Int) {
        self.chipName = chipName
        self.chipLabel = chipLabel
        self.offset = offset
    }

    /// Same chip name and offset.
    public static func == (left: GPIOLineLocation, right: GPIOLineLocation) -> Bool {
        left.chipName == right.chipName && left.offset == right.offset
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(chipName)
        hasher.combine(offset)
    }

    /// `gpiochip0 [pinctrl-bcm2711] offset 17`.
    public var description: String { "\(chipName) [\(chipLabel)] offset \(offset)" }
}
