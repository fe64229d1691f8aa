import FieldIO

/// The output lines of one signal group's head, one per lamp.
public struct GPIOLampWiring: Sendable, Equatable {
    /// Index into `Junction.groups`.
    public var group: Int
    /// A line for each lamp of the group's kind (`GPIOLamp.lamps(of:)`), and no others.
    public var lines: [GPIOLamp: GPIOLineAddress]

    /// The lamps of one group.
    public init(group: Int, lines: [GPIOLamp: GPIOLineAddress]) {
        self.group = group
        self.lines = lines
    }
}
