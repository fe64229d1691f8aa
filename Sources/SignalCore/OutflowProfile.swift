/// Vehicles expected to cross a junction's stop lines toward one neighbour, in one-second bins.
///
/// Bin `i` covers `[startTenths + 10·i, startTenths + 10·(i+1))`, relative to the moment the
/// profile was made; a negative `startTenths` includes departures already seen (the last second's
/// measured crossings). Counts are vehicles, fractional because a group's departures are split
/// between roads by share. A profile holds at most `maximumBins` bins and each count is in
/// `0...maximumVehiclesPerBin`, so it always fits one neighbour datagram.
public struct OutflowProfile: Sendable, Equatable {
    /// The width of one bin, in tenths.
    public static let binTenths: Tenths = 10
    /// The most bins a profile holds (two minutes).
    public static let maximumBins = 120
    /// The most vehicles one bin may hold: several lanes at saturation flow, with room to spare.
    public static let maximumVehiclesPerBin = 50.0

    /// Where bin 0 starts, relative to when the profile was made, in tenths.
    public var startTenths: Tenths
    /// Vehicles per bin.
    public var vehicles: [Double]

    /// A profile of `bins` empty bins from `startTenths`; `bins` is clamped to `0...maximumBins`.
    public init(startTenths: Tenths, bins: Int) {
        self.startTenths = startTenths
        vehicles = Array(repeating: 0, count: min(max(bins, 0), Self.maximumBins))
    }
}
