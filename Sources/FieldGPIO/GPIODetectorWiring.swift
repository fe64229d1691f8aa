import FieldIO

/// The line of one detector input and how its edges are read.
public struct GPIODetectorWiring: Sendable, Equatable {
    /// Index into `Junction.detectors`.
    public var detector: Int
    /// The detector's line.
    public var address: GPIOLineAddress
    /// True when the detector pulls the line low while occupied (open-collector loop cards).
    public var activeLow: Bool
    /// How long a new level must hold before it counts, in milliseconds; 0 takes every edge.
    public var debounceMilliseconds: Int
    /// The pull asked of the kernel for the line.
    public var bias: GPIOBias

    /// A detector line; by default active high, 0 ms debounce, bias as the board set it.
    public init(
        detector: Int, address: GPIOLineAddress, activeLow: Bool = false, debounceMilliseconds: Int = 0,
        bias: GPIOBias = .asIs
    ) {
        self.detector = detector
        self.address = address
        self.activeLow = activeLow
        self.debounceMilliseconds = debounceMilliseconds
        self.bias = bias
    }
}
