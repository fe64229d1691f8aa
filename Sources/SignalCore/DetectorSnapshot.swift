/// Detector inputs for one tick, handed to the controller by a field backend.
///
/// The arrays are sized once for the junction's detectors and overwritten in place every
/// tick, so a steady-state tick allocates nothing.
public struct DetectorSnapshot: Sendable, Equatable {
    /// True while the detector is occupied (or the push button held).
    public var presence: [Bool]
    /// Rising edges seen since the previous snapshot (vehicles arrived).
    public var actuations: [UInt8]
    /// True when the backend could not read this input in time; stale data is never used.
    public var communicationFault: [Bool]

    public init(detectorCount: Int) {
        presence = Array(repeating: false, count: detectorCount)
        actuations = Array(repeating: 0, count: detectorCount)
        communicationFault = Array(repeating: false, count: detectorCount)
    }

    public var count: Int { presence.count }

    /// Clears the per-tick counts, keeping presence and faults.
    public mutating func clearActuations() {
        for index in actuations.indices { actuations[index] = 0 }
    }
}
