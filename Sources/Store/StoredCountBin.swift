/// Volume and occupancy of one detector over one bin, as the store keeps it.
public struct StoredCountBin: Sendable, Equatable {
    /// The store's number: assigned at commit, never reused (0 before it is stored).
    public var recordNumber: UInt64
    /// Start of the bin, in Unix seconds (a multiple of the period).
    public var binStartSeconds: UInt64
    public var periodSeconds: UInt32
    /// 1-based detector number.
    public var detector: UInt16
    /// Actuations counted in the bin.
    public var volume: UInt32
    /// Per mille of the observed time the detector was occupied.
    public var occupancyPermille: UInt16
    /// Seconds of the bin the controller actually ran.
    public var observedSeconds: UInt32

    public init(
        recordNumber: UInt64 = 0, binStartSeconds: UInt64, periodSeconds: UInt32, detector: UInt16, volume: UInt32,
        occupancyPermille: UInt16, observedSeconds: UInt32
    ) {
        self.recordNumber = recordNumber
        self.binStartSeconds = binStartSeconds
        self.periodSeconds = periodSeconds
        self.detector = detector
        self.volume = volume
        self.occupancyPermille = occupancyPermille
        self.observedSeconds = observedSeconds
    }
}
