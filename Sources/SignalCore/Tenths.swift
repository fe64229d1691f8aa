/// A duration or instant in tenths of a second, the traffic-signal convention.
///
/// The controller never reads a clock: the runtime passes the tick count in, so one
/// tick is one tenth of a second of junction time wherever the core runs (daemon,
/// simulator, SUMO, tests).
public typealias Tenths = Int
