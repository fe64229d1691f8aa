import FieldIO

/// Which GPIO lines serve each detector, each signal group's lamps and the cabinet watchdog: the
/// resolved `[gpio]` section of a junction file.
///
/// Indices refer to `Junction.detectors` and `Junction.groups`. The loader has checked names,
/// completeness against `[field]`, ranges, and lines written twice; whether each chip and line
/// exists on the machine is checked when the backend opens them, at startup.
public struct GPIOSettings: Sendable, Equatable {
    /// One line as the file names it: a chip and offset, or a line name (the backend's own type).
    public typealias Line = GPIOLineAddress

    /// The pull resistor asked for on a line.
    public enum Bias: String, Sendable, CaseIterable {
        case asIs = "as_is"
        case disabled
        case pullUp = "pull_up"
        case pullDown = "pull_down"
    }

    /// How lamp lines are driven.
    public enum Drive: String, Sendable, CaseIterable {
        case pushPull = "push_pull"
        case openDrain = "open_drain"
        case openSource = "open_source"
    }

    /// The lamps of a head; the raw values are the file's keys.
    public enum Lamp: String, Sendable, CaseIterable {
        case red
        case amber
        case green
        case dontWalk = "dont_walk"
        case walk
    }

    /// A detector's input line.
    public struct DetectorInput: Sendable, Equatable {
        /// Index into `Junction.detectors`.
        public var detector: Int
        /// The detector's line.
        public var line: Line
        /// True when the line is low while the detector is occupied.
        public var activeLow: Bool
        /// The hold time before a new level counts, in milliseconds (0–1000).
        public var debounceMilliseconds: Int
        /// The pull asked for on the line.
        public var bias: Bias

        /// A detector input as the loader resolved it.
        public init(detector: Int, line: Line, activeLow: Bool, debounceMilliseconds: Int, bias: Bias) {
            self.detector = detector
            self.line = line
            self.activeLow = activeLow
            self.debounceMilliseconds = debounceMilliseconds
            self.bias = bias
        }
    }

    /// A signal group's lamp lines: red, amber and green for vehicle and turn-arrow heads,
    /// don't walk and walk for pedestrian heads.
    public struct LampLines: Sendable, Equatable {
        /// Index into `Junction.groups`.
        public var group: Int
        /// One line per lamp of the head.
        public var lines: [Lamp: Line]

        /// A head's lines as the loader resolved them.
        public init(group: Int, lines: [Lamp: Line]) {
            self.group = group
            self.lines = lines
        }
    }

    /// One entry per detector when `field.detectors` is gpio, else empty.
    public var detectors: [DetectorInput]
    /// One entry per group when `field.outputs` is gpio, else empty.
    public var lamps: [LampLines]
    /// The watchdog line; set exactly when `field.outputs` is gpio.
    public var watchdog: Line?
    /// How the lamp lines are driven.
    public var lampDrive: Drive
    /// True when a lamp is lit by driving its line low.
    public var lampActiveLow: Bool
    /// The pull asked for on the lamp lines.
    public var lampBias: Bias
    /// How long the detector event thread may be silent before every input counts as failed, in ms.
    public var staleAfterMilliseconds: Int
    /// How often the detector backend logs counts and edge-to-tick latency, in seconds; 0 never.
    public var reportIntervalSeconds: Int

    /// Settings as given; the defaults are those of a `[gpio]` section that sets nothing.
    public init(
        detectors: [DetectorInput] = [], lamps: [LampLines] = [], watchdog: Line? = nil, lampDrive: Drive = .pushPull,
        lampActiveLow: Bool = false, lampBias: Bias = .asIs, staleAfterMilliseconds: Int = 1000,
        reportIntervalSeconds: Int = 60
    ) {
        self.detectors = detectors
        self.lamps = lamps
        self.watchdog = watchdog
        self.lampDrive = lampDrive
        self.lampActiveLow = lampActiveLow
        self.lampBias = lampBias
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.reportIntervalSeconds = reportIntervalSeconds
    }
}
