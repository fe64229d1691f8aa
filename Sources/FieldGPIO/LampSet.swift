/// A set of lit lamps of one signal head.
public struct LampSet: OptionSet, Sendable, Hashable {
    /// One bit per `GPIOLamp`, at its raw value.
    public let rawValue: UInt8

    /// The set with these bits.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The set holding just `lamp`.
    public init(_ lamp: GPIOLamp) {
        rawValue = 1 << UInt8(lamp.rawValue)
    }

    /// True when `lamp` is lit.
    public func contains(_ lamp: GPIOLamp) -> Bool { contains(LampSet(lamp)) }

    /// Single lamps.
    public static let red = LampSet(.red)
    public static let amber = LampSet(.amber)
    public static let green = LampSet(.green)
    public static let dontWalk = LampSet(.dontWalk)
    public static let walk = LampSet(.walk)
    /// Red and amber together (red+amber before green).
    public static let redAmber = LampSet(rawValue: LampSet.red.rawValue | LampSet.amber.rawValue)
}
